#!/bin/sh
# Run once by the official postgres image on an empty data directory
# (/docker-entrypoint-initdb.d/): the application role, not a superuser, owning the two
# databases: the tracker store (Rasa) and the records (the app, migrated by Alembic).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_user="$DB_USER" -v app_password="$DB_PASSWORD" \
  -v tracker_db="$TRACKER_DB" -v records_db="$RECORDS_DB" <<'SQL'
CREATE ROLE :"app_user" LOGIN PASSWORD :'app_password';
CREATE DATABASE :"tracker_db" OWNER :"app_user";
CREATE DATABASE :"records_db" OWNER :"app_user";
REVOKE ALL ON DATABASE :"tracker_db" FROM PUBLIC;
REVOKE ALL ON DATABASE :"records_db" FROM PUBLIC;
SQL
