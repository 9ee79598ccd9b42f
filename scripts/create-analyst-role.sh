#!/bin/sh
# Create (or update) the read-only analyst role in the warehouse database.
#   scripts/create-analyst-role.sh postgresql://owner@host:5432/ipbench
# With IPBENCH_ANALYST_PASSWORD set, the role gets that password (otherwise it logs in however
# pg_hba.conf allows, e.g. peer or certificate).
set -eu
url="${1:-${IPBENCH_DATABASE_URL:-}}"
if [ -z "$url" ]; then
    echo "usage: $0 POSTGRES_URL (or set IPBENCH_DATABASE_URL)" >&2
    exit 2
fi
# psql speaks libpq URLs; drop SQLAlchemy's driver suffix (postgresql+psycopg2://).
url="$(printf '%s' "$url" | sed 's#^postgresql+[a-z0-9]*://#postgresql://#')"
here="$(cd "$(dirname "$0")" && pwd)"
psql "$url" -v ON_ERROR_STOP=1 -q -f "$here/create-analyst-role.sql"
if [ -n "${IPBENCH_ANALYST_PASSWORD:-}" ]; then
    # Through a psql variable, so that psql quotes it as a literal.
    printf '%s\n' "ALTER ROLE ipbench_analyst PASSWORD :'password';" |
        psql "$url" -v ON_ERROR_STOP=1 -q -v password="$IPBENCH_ANALYST_PASSWORD"
fi
echo "ipbench_analyst can read $(printf '%s' "$url" | sed 's#//[^@]*@#//#')"
