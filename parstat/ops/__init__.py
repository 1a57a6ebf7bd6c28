"""Running parstat in production: the app server, logs, health, security headers, backups."""
