#!/usr/bin/env bash
# The PostgreSQL the cluster tests use (tests/Aviary.Tests/Failover): Debian's server on 127.0.0.1:5432
# with a role `aviary` (password `aviary`, may create databases); each test creates and drops its own database.
#   deploy/scripts/test-postgres.sh start   install if missing (apt), start, create the role; prints what it did
#   deploy/scripts/test-postgres.sh stop    stop the cluster again (only if `start` started it)
# Needs root (apt-get, su postgres). Tests find the server through AVIARY_TEST_POSTGRES (see README).
set -euo pipefail
state=/tmp/aviary-test-postgres.started

cluster() { pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1, $2, $4}'; }

case "${1:-start}" in
start)
    export DEBIAN_FRONTEND=noninteractive
    if ! command -v pg_ctlcluster >/dev/null || [ -z "$(cluster)" ]; then
        echo "test-postgres: installing PostgreSQL from Debian's packages"
        apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
    fi
    read -r version name status <<<"$(cluster)"
    if [ "$status" != "online" ]; then
        pg_ctlcluster "$version" "$name" start
        echo "$version $name" >"$state"
    fi
    su postgres -c "psql -X -q -v ON_ERROR_STOP=1" <<'SQL'
SELECT 'CREATE ROLE aviary LOGIN CREATEDB PASSWORD ''aviary'''
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'aviary') \gexec
SQL
    PGPASSWORD=aviary psql -X -h 127.0.0.1 -p 5432 -U aviary -d postgres -tAc \
        "SELECT 'test-postgres: PostgreSQL ' || current_setting('server_version') || ' ready on 127.0.0.1:5432 as ' || current_user"
    ;;
stop)
    if [ -f "$state" ]; then
        read -r version name <"$state"
        pg_ctlcluster "$version" "$name" stop && rm -f "$state"
        echo "test-postgres: stopped $version/$name"
    fi
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
