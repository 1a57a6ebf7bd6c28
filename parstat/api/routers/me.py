from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from parstat.accounts.models import Membership

from ..access import user_of
from ..schemas import Error, MeOut, RoleOut

router = Router(tags=["me"])


@router.get("/me", response={200: MeOut, 401: Error}, summary="Who the token belongs to")
def me(request: HttpRequest) -> MeOut:
    user = user_of(request)
    roles = [RoleOut(unit=m.unit.code, unit_name=m.unit.name, role=m.role)
             for m in Membership.objects.filter(user=user).select_related("unit")
             .order_by("unit__code", "role")]
    token = getattr(request, "api_token", None)
    return MeOut(username=user.get_username(), full_name=user.get_full_name(),
                 administrator=user.is_superuser, roles=roles,
                 token=token.prefix if token else None)
