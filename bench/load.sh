#!/usr/bin/env bash
# Load test: wrk, 64 connections for 30 s, against gunicorn on loopback serving
# the benchmark data set, over a mix of list, filtered, detail and export URLs.
# Needs the database that `python bench/run.py --keep` leaves (visits_bench).
# Appends requests per second, latency and errors to bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

DB_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/visits_bench}
PORT=${PORT:-8765}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

export DATABASE_URL="$DB_URL" DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-only-$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')}
export DJANGO_STATIC_ROOT=${DJANGO_STATIC_ROOT:-$(mktemp -d)}
.venv/bin/python manage.py collectstatic --noinput -v0

# Real slugs from the data set, so every request hits a page that exists.
read -r VISIT OFFICIAL TOPIC COUNTRY < <(.venv/bin/python manage.py shell -c "
from django.db.models import Count
from visits.models import Visit, VisitOfficial, Topic, VisitCountry
v = Visit.objects.order_by('-start').values_list('slug', flat=True).first()
o = VisitOfficial.objects.values_list('official__slug').annotate(n=Count('pk')).order_by('-n')[0][0]
t = Topic.objects.filter(parent__isnull=True).values_list('slug', flat=True).first()
c = VisitCountry.objects.values_list('country').annotate(n=Count('pk')).order_by('-n')[0][0]
print(v, o, t, c)" 2>/dev/null | tail -1)

PATHS="/
/visits/
/visits/?official=$OFFICIAL
/visits/?topic=$TOPIC
/visits/?country=$COUNTRY
/visits/?official=$OFFICIAL&topic=$TOPIC&country=$COUNTRY
/visits/?page=40
/visits/$VISIT/
/officials/$OFFICIAL/
/topics/$TOPIC/
/statements/?topic=$TOPIC
/visits.csv?country=$COUNTRY&date_from=2020-01-01&date_to=2020-03-31"
export PATHS

WORKERS=${WORKERS:-$(( $(nproc) * 2 + 1 ))}
.venv/bin/gunicorn config.wsgi --bind 127.0.0.1:$PORT --workers "$WORKERS" --worker-class gthread --threads 4 \
    --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

# Warm every worker's caches, then measure.
while read -r path; do for _ in $(seq 1 "$WORKERS"); do curl -s -o /dev/null "http://127.0.0.1:$PORT$path"; done; done <<< "$PATHS"
OUT=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s bench/load.lua "http://127.0.0.1:$PORT")
echo "$OUT"
RESULT=$(grep '^RESULT' <<< "$OUT")
rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<< "$RESULT")
p50=$(sed -E 's/.* p50_ms=([0-9.]+).*/\1/' <<< "$RESULT")
p99=$(sed -E 's/.* p99_ms=([0-9.]+).*/\1/' <<< "$RESULT")
http_errors=$(sed -E 's/.* http_errors=([0-9]+).*/\1/' <<< "$RESULT")
socket_errors=$(sed -E 's/.* socket_errors=([0-9]+).*/\1/' <<< "$RESULT")
requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<< "$RESULT")

{
  echo
  echo "## Load ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo
  echo "\`bench/load.sh\`: wrk, $CONNECTIONS connections for $DURATION, gunicorn ($WORKERS gthread workers x 4 threads,"
  echo "DEBUG off) on loopback, on \`${DB_URL##*/}\`, $(nproc) cores. The mix, one URL after another per connection:"
  echo
  sed 's/^/- `/; s/$/`/' <<< "$PATHS"
  echo
  echo "| requests | requests/s | p50 ms | p99 ms | HTTP errors (4xx/5xx) | socket errors |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
  echo "| $requests | $rps | $p50 | $p99 | $http_errors | $socket_errors |"
} >> bench/results.md
if [ "$http_errors" != "0" ] || [ "$socket_errors" != "0" ]; then
  echo "load test: $http_errors HTTP errors, $socket_errors socket errors" >&2
  exit 1
fi
