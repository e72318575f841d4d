#!/bin/bash
# Run once by the postgis image on first start (infra/compose.yaml): the role the read replica streams
# with, allowed in from the compose network. bootstrap.sh --with-replica does the same on the host.
set -e
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "CREATE ROLE pave_replica WITH REPLICATION LOGIN PASSWORD 'pave_replica'"
echo 'host replication pave_replica all scram-sha-256' >> "$PGDATA/pg_hba.conf"
