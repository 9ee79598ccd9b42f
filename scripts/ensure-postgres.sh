#!/usr/bin/env bash
# The warehouse tests run against PostgreSQL for real: start the local cluster if it is down.
set -euo pipefail
host=127.0.0.1
port=5432
if pg_isready -q -h "$host" -p "$port" 2>/dev/null; then
    exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do
        pg_isready -q -h "$host" -p "$port" && exit 0
        sleep 1
    done
fi
echo "ensure-postgres: PostgreSQL is not reachable at $host:$port" >&2
exit 1
