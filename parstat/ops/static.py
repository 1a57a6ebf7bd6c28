"""Static files with content hashes in their names, compressed, served by WhiteNoise."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage that still renders pages before ``collectstatic``.

    ``parstat init`` (and ``parstat serve`` when it finds nothing collected) writes the
    manifest, so every served page names hashed files. Tests and ad-hoc scripts render
    templates without collecting: there an asset not in the manifest keeps its plain name
    instead of failing the page; nothing serves such a name in production.
    """

    manifest_strict = False
    # CSS url() references are rewritten to the hashed names; JavaScript is left as shipped:
    # the vendored libraries point at source maps that are not shipped, which would fail the
    # whole collection for a file only a browser's developer tools ever ask for.
    patterns = tuple((glob, rules) for glob, rules in
                     CompressedManifestStaticFilesStorage.patterns if glob != "*.js")

    def stored_name(self, name: str) -> str:
        try:
            return str(super().stored_name(name))
        except ValueError:  # not collected yet: no file to hash
            return name
