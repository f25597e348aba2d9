#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (DEPENDENCIES.md, PostgreSQL).
#
#   .ci/pg.sh COMMAND [ARGS...]   start a cluster, run COMMAND with DOORWAY_TEST_PG naming its
#                                 database, stop the cluster (always: a trap), exit as COMMAND did
#   .ci/pg.sh start               start one and print `export DOORWAY_TEST_PG=...` and the stop line
#
# When DOORWAY_TEST_PG is already set, COMMAND runs against that database and no cluster starts.
# The binaries come from the machine's PostgreSQL (apt-get installs it only when missing);
# initdb refuses to run as root, so as root the cluster runs as the postgres user. It listens on
# 127.0.0.1 only, on the first free port from 55432, with fsync off: the data is thrown away.
# PG_SETTINGS replaces the durability settings (e.g. PG_SETTINGS="-c synchronous_commit=off"
# for load figures closer to a real server's).
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true; }

install_pg() {
	[ "$(id -u)" = 0 ] || { echo "pg.sh: PostgreSQL is not installed and apt-get needs root" >&2; exit 1; }
	# Another apt run (unattended upgrades, a parallel CI step) may hold the dpkg lock: retry.
	for i in 1 2 3 4 5 6 7 8 9 10; do
		if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; then
			return 0
		fi
		echo "pg.sh: apt-get failed (dpkg lock held?), retry $i in 6 s" >&2
		sleep 6
	done
	echo "pg.sh: could not install postgresql" >&2
	exit 1
}

PGBIN=$(find_bin)
if [ -z "$PGBIN" ] && [ -z "${DOORWAY_TEST_PG:-}" ]; then
	install_pg
	PGBIN=$(find_bin)
fi

# as_pg runs a PostgreSQL tool as the cluster's owner.
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

DIR=""
stop_cluster() {
	[ -n "$DIR" ] || return 0
	as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$DIR"
	DIR=""
}

start_cluster() {
	DIR=$(mktemp -d /tmp/doorway-pg.XXXXXX)
	chmod 755 "$DIR"
	[ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
	as_pg "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
	local port
	for port in $(seq 55432 55531); do
		port_busy "$port" && continue
		if as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
			-o "-k $DIR -h 127.0.0.1 -p $port ${PG_SETTINGS:--c fsync=off -c synchronous_commit=off -c full_page_writes=off} -c max_connections=300" \
			start >/dev/null; then
			as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres doorway
			PORT=$port
			return 0
		fi
		# Lost the port to someone else between the check and the start: try the next one.
	done
	echo "pg.sh: no free port for PostgreSQL; server log:" >&2
	cat "$DIR/server.log" >&2 || true
	return 1
}

if [ "${1:-}" = "start" ]; then
	start_cluster
	echo "export DOORWAY_TEST_PG=postgres://postgres@127.0.0.1:$PORT/doorway?sslmode=disable"
	echo "stop it with: $( [ "$(id -u)" = 0 ] && echo 'runuser -u postgres -- ' )$PGBIN/pg_ctl -D $DIR/data -m immediate -w stop && rm -rf $DIR" >&2
	exit 0
fi

[ $# -gt 0 ] || { echo "usage: .ci/pg.sh start | .ci/pg.sh COMMAND [ARGS...]" >&2; exit 2; }
if [ -n "${DOORWAY_TEST_PG:-}" ]; then
	exec "$@"
fi
trap stop_cluster EXIT
trap 'exit 130' INT TERM
started=$(date +%s%N)
start_cluster
ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "pg.sh: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, started in $ms ms"
export DOORWAY_TEST_PG="postgres://postgres@127.0.0.1:$PORT/doorway?sslmode=disable"
set +e
"$@"
status=$?
set -e
exit $status
