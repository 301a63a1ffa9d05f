#!/usr/bin/env bash
# Builds, inspects and tears down reachprobe's test lab: network namespaces with a censor between a vantage and the services.
#
#   lab.sh up       tear down leftovers, then build the lab (prints "lab: up" when ready)
#   lab.sh down     kill the lab's daemons and delete its namespaces (safe to run twice)
#   lab.sh status   list namespaces and daemons; exit 0 only when everything is up
#
#   lab.sh up --shared / down --shared   (what the CTest fixture uses) reference-counted by the caller's
#   pid: `up --shared` joins a healthy lab that a live process still uses instead of rebuilding it, and
#   `down --shared` tears down only when no live user is left. Several ctest runs (one per engineer's
#   build directory) can then share the one lab without pulling it from under each other.
#
# Exit code 77 means "namespaces cannot be created here" (not root, no CAP_SYS_ADMIN): callers skip.
# Topology: rp-vantage -> rp-censor (hop 1) -> rp-backbone (2) -> rp-services (3), rp-control on the
# backbone, and a long path rp-backbone -> rp-r1 .. rp-r4 -> rp-edge -> rp-far (far hosts at hop 8).
# Safety: every namespace is linked only to other lab namespaces (never to the host's), all
# addresses are in 198.18.0.0/15, and no route leads anywhere else. See tests/lab/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN=${REACHPROBE_LAB_RUN:-/run/reachprobe-lab}
USERS=$RUN.users    # one file per user pid; outside $RUN, which `down` removes
LOCK=$RUN.lock
LIFETIME=${REACHPROBE_LAB_LIFETIME:-4h}   # daemons stop by themselves after this, even if nobody runs `down`
PY=/usr/bin/python3
# The long path: rp-backbone -> rp-r1 .. rp-r4 -> rp-edge (the far provider's edge router) -> rp-far,
# so that the far hosts (198.18.12.0/24) are 8 hops from the vantage. Links are /30s in 198.18.20.0/24.
LONG_PATH=(rp-r1 rp-r2 rp-r3 rp-r4 rp-edge)
BASE_NAMESPACES=(rp-vantage rp-censor rp-backbone rp-control rp-services)
FAR_NAMESPACES=("${LONG_PATH[@]}" rp-far)
NAMESPACES=("${BASE_NAMESPACES[@]}" "${FAR_NAMESPACES[@]}")

VANTAGE_IP=198.18.1.2
# The vantage's "public address behind a NAT": the lab has no NAT, so the privacy scenarios' echo and
# whoami services say this address where a real one would say what the NAT showed them.
VANTAGE_PUBLIC_IP=198.18.1.200
CENSOR_VANTAGE_IP=198.18.1.1
RESOLVER_IP=198.18.4.53
SLOW_AUTHORITY_IP=198.18.4.54
BOGON_IP=10.10.34.36

log() { echo "lab: $*" >&2; }
die() { echo "lab: error: $*" >&2; exit 1; }

# --- helpers --------------------------------------------------------------------------------------

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# Address of a scenario host, from hosts.tsv.
ip_of() { awk -v n="$1" '$1 == n { print $2 }' "$HERE/hosts.tsv"; }

# Scenario hosts as "name ip role" lines, comments stripped.
hosts() { grep -v '^[[:space:]]*#' "$HERE/hosts.tsv" | awk 'NF == 3'; }

# The namespace that holds a scenario host: 198.18.12.0/24 is the far provider (8 hops), the rest rp-services.
FAR_PREFIX=198.18.12.
ns_of() { if [[ $1 == "$FAR_PREFIX"* ]]; then echo rp-far; else echo rp-services; fi; }
hosts_in() {
  local name addr role
  while read -r name addr role; do
    if [[ $(ns_of "$addr") == "$1" ]]; then echo "$name $addr $role"; fi
  done < <(hosts)
}

check_capabilities() {
  if [[ $EUID -ne 0 ]]; then
    echo "lab: cannot create network namespaces: not root (skipping)" >&2; exit 77
  fi
  ip netns del rp-capcheck 2>/dev/null || true   # a leftover from a killed run would make `add` fail
  if ! ip netns add rp-capcheck 2>/dev/null; then
    echo "lab: cannot create network namespaces here (no CAP_SYS_ADMIN?) (skipping)" >&2; exit 77
  fi
  ip netns del rp-capcheck
}

check_tools() {
  local t missing=()
  for t in ip nft iptables dnsmasq nginx openssl setsid timeout flock "$PY"; do
    command -v "$t" >/dev/null || missing+=("$t")
  done
  ((${#missing[@]} == 0)) || die "missing ${missing[*]}; run scripts/setup-debian.sh --with-test-deps"
}

# Starts a long-running daemon inside a namespace, detached from the caller (so ctest does not wait
# on its pipes), stopped by `timeout` after $LIFETIME at the latest. The pid file holds timeout's pid,
# which forwards SIGTERM to the daemon.
start_daemon() {
  local name=$1 ns=$2; shift 2
  setsid ip netns exec "$ns" timeout --kill-after=5 "$LIFETIME" "$@" \
    >"$RUN/log/$name.log" 2>&1 </dev/null 9>&- &   # 9 is the lab lock: daemons must not hold it
  echo $! >"$RUN/pids/$name"
}

# Polls a check command (bounded: 50 tries, 0.1 s apart).
wait_for() {
  local what=$1; shift
  local i
  for ((i = 0; i < 50; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  die "$what did not come up; see $RUN/log/"
}

tcp_open() { in_ns "$1" timeout 1 bash -c "exec 3<>/dev/tcp/$2/$3"; }
dns_answers() { in_ns "$1" "$PY" "$HERE/dns_tools.py" query --server "$2" --name "$3" --timeout 1 | grep -q NOERROR; }

# --- down -----------------------------------------------------------------------------------------

# A zombie has exited already; only its (adoptive) parent can reap it.
alive() { [[ -d /proc/$1 ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# Kills one pid (TERM, then KILL after ~2 s), but only if it lives in one of the lab's namespaces.
kill_lab_pid() {
  local pid=$1 ns i
  alive "$pid" || return 0
  ns=$(ip netns identify "$pid" 2>/dev/null || true)
  [[ $ns == rp-* ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 20; i++)); do alive "$pid" || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

lab_down() {
  local f ns pid
  if [[ -d $RUN/pids ]]; then
    for f in "$RUN"/pids/*; do
      [[ -f $f ]] && kill_lab_pid "$(cat "$f")"
    done
  fi
  # Anything else still inside a lab namespace (a test's probe, a stray curl) would keep it alive.
  for ns in "${NAMESPACES[@]}"; do
    if ip netns list | grep -qw "^$ns"; then
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill_lab_pid "$pid"; done
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
  rm -rf "$RUN"
}

# --- topology -------------------------------------------------------------------------------------

create_namespaces() {
  local ns
  for ns in "$@"; do
    ip netns add "$ns"
    # The lab is IPv4-only: no IPv6 link-local chatter, and AAAA answers lead nowhere.
    in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    in_ns "$ns" ip link set lo up
  done
}

# veth pair created directly between two lab namespaces: it never exists in the host's namespace.
link() {
  local ns_a=$1 if_a=$2 addr_a=$3 ns_b=$4 if_b=$5 addr_b=$6
  ip -n "$ns_a" link add "$if_a" type veth peer name "$if_b" netns "$ns_b"
  ip -n "$ns_a" addr add "$addr_a" dev "$if_a"
  ip -n "$ns_b" addr add "$addr_b" dev "$if_b"
  ip -n "$ns_a" link set "$if_a" up
  ip -n "$ns_b" link set "$if_b" up
}

build_topology() {
  link rp-vantage v-cen "$VANTAGE_IP/24" rp-censor cen-v "$CENSOR_VANTAGE_IP/24"
  link rp-censor  cen-bb 198.18.2.2/24 rp-backbone bb-cen 198.18.2.1/24
  link rp-control ctl-bb 198.18.3.2/24 rp-backbone bb-ctl 198.18.3.1/24
  link rp-services svc-bb 198.18.4.2/24 rp-backbone bb-svc 198.18.4.1/24
  ip -n rp-services addr add "$RESOLVER_IP/24" dev svc-bb
  ip -n rp-services addr add "$SLOW_AUTHORITY_IP/24" dev svc-bb

  local name addr role
  while read -r name addr role; do
    ip -n rp-services addr add "$addr/32" dev lo
  done < <(hosts_in rp-services)

  in_ns rp-censor sysctl -qw net.ipv4.ip_forward=1
  in_ns rp-backbone sysctl -qw net.ipv4.ip_forward=1
  tune_icmp rp-censor rp-backbone rp-services

  # Only the two edge hosts have a default route, and it points into the lab. The routers know
  # 198.18.0.0/15 only, so anything else (10.10.34.36) dies at the first router with ICMP net-unreachable.
  ip -n rp-vantage route add default via 198.18.1.1
  ip -n rp-control route add default via 198.18.3.1
  ip -n rp-censor route add 198.18.0.0/15 via 198.18.2.1
  ip -n rp-backbone route add 198.18.1.0/24 via 198.18.2.2
  ip -n rp-backbone route add 198.18.10.0/24 via 198.18.4.2
  ip -n rp-backbone route add 198.18.11.0/24 via 198.18.4.2
  ip -n rp-services route add 198.18.0.0/15 via 198.18.4.1

  build_long_path
}

# Rate limits would make "ICMP unreachable" and "time exceeded" flaky when tests (and the probe's
# parallel TTL probes) run at once. These sysctls are per network namespace (checked on kernel 6.18:
# the host keeps its 1000 ms while a lab namespace says 0).
tune_icmp() {
  local ns
  for ns in "$@"; do
    in_ns "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0 2>/dev/null || true
    in_ns "$ns" sysctl -qw net.ipv4.icmp_msgs_per_sec=100000 2>/dev/null || true
    in_ns "$ns" sysctl -qw net.ipv4.icmp_msgs_burst=10000 2>/dev/null || true
  done
}

# rp-backbone -- rp-r1 -- rp-r2 -- rp-r3 -- rp-r4 -- rp-edge -- rp-far, one /30 per link in
# 198.18.20.0/24 (link k, from 0: 198.18.20.4k/30, .4k+1 upstream end, .4k+2 downstream end). Every
# router sends 198.18.12.0/24 (and the links below it) downstream, the rest of 198.18.0.0/15 upstream.
build_long_path() {
  local chain=(rp-backbone "${LONG_PATH[@]}" rp-far)
  local k up down
  for ((k = 0; k < ${#chain[@]} - 1; k++)); do
    up=${chain[k]} down=${chain[k + 1]}
    link "$up" "${down#rp-}-dn" "198.18.20.$((4 * k + 1))/30" "$down" "${up#rp-}-up" "198.18.20.$((4 * k + 2))/30"
  done
  ip -n rp-backbone route add 198.18.12.0/24 via 198.18.20.2
  ip -n rp-backbone route add 198.18.20.0/24 via 198.18.20.2
  for ((k = 1; k < ${#chain[@]}; k++)); do
    ip -n "${chain[k]}" route add 198.18.0.0/15 via "198.18.20.$((4 * (k - 1) + 1))"
    if ((k < ${#chain[@]} - 1)); then
      ip -n "${chain[k]}" route add 198.18.12.0/24 via "198.18.20.$((4 * k + 2))"
      ip -n "${chain[k]}" route add 198.18.20.0/24 via "198.18.20.$((4 * k + 2))"
    fi
  done
  local ns name addr role
  for ns in "${LONG_PATH[@]}"; do in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1; done
  tune_icmp "${FAR_NAMESPACES[@]}"
  while read -r name addr role; do
    ip -n rp-far addr add "$addr/32" dev lo
  done < <(hosts_in rp-far)
}

# The far provider's geo block at its own edge: TCP SYNs from the vantage's /24 to edge-drop are
# dropped; UDP, ICMP and every other source (the control) pass. The forward hook runs after the
# router's own TTL check, so a SYN that expires at rp-edge still draws "time exceeded" from it.
edge_rules() {
  mkdir -p "$RUN/edge"
  cat >"$RUN/edge/edge.nft" <<EOF
table inet rp_edge {
  chain forward {
    type filter hook forward priority filter; policy accept;
    ip saddr 198.18.1.0/24 ip daddr $(ip_of edge-drop.example.com) tcp flags & (syn | ack) == syn drop
  }
}
EOF
  in_ns rp-edge nft -f "$RUN/edge/edge.nft"
}

# --- certificates ---------------------------------------------------------------------------------

make_ca() {
  local dir=$1 cn=$2
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/$3.key" 2>/dev/null
  openssl req -x509 -new -key "$dir/$3.key" -sha256 -days 30 -subj "/O=reachprobe lab/CN=$cn" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$dir/$3.pem" 2>/dev/null
}

make_leaf() {
  local ca_dir=$1 ca=$2 out_dir=$3 name=$4
  openssl ecparam -name prime256v1 -genkey -noout -out "$out_dir/$name.key" 2>/dev/null
  openssl req -new -key "$out_dir/$name.key" -subj "/CN=$name" -out "$out_dir/$name.csr" 2>/dev/null
  openssl x509 -req -in "$out_dir/$name.csr" -CA "$ca_dir/$ca.pem" -CAkey "$ca_dir/$ca.key" \
    -CAcreateserial -days 30 -sha256 -out "$out_dir/$name.pem" 2>/dev/null \
    -extfile <(printf 'subjectAltName=DNS:%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' "$name")
  rm -f "$out_dir/$name.csr"
}

make_certificates() {
  mkdir -p "$RUN/ca" "$RUN/certs" "$RUN/interceptor"
  make_ca "$RUN/ca" "reachprobe lab CA" ca
  make_ca "$RUN/ca" "Interceptor CA (untrusted)" interceptor-ca
  make_host_certificates rp-services
  make_host_certificates rp-far
  make_leaf "$RUN/ca" interceptor-ca "$RUN/interceptor" mitm.example.com
}

# Leaf certificates (lab CA) for the hosts that live in one namespace.
make_host_certificates() {
  local name addr role
  while read -r name addr role; do
    make_leaf "$RUN/ca" ca "$RUN/certs" "$name"
  done < <(hosts_in "$1")
}

# --- services: real resolver, slow authority, nginx -----------------------------------------------

# The real resolver's records: every scenario host, wherever it lives.
write_resolver_hosts() {
  local name addr role
  mkdir -p "$RUN/services"
  while read -r name addr role; do
    # inject.example.com is delegated to the slow authority so the injector's forgery wins the race.
    [[ $name == inject.example.com ]] && continue
    echo "$addr $name"
  done < <(hosts) >"$RUN/services/hosts.new"
  dns_only_records >>"$RUN/services/hosts.new"
  mv "$RUN/services/hosts.new" "$RUN/services/hosts"
}

# Names the resolver answers that are no lab service: whoami names, which answer with the vantage's own
# addresses, and a name inside a private network that a redirect may point to.
# xn--e1aqk0cl.example.com is the A-label of ясень.example.com, an internationalized name for the ok host
# (measured over plain HTTP: the ok host's certificate names only ok.example.com).
dns_only_records() {
  cat <<EOF
$VANTAGE_PUBLIC_IP myip.opendns.com
$VANTAGE_IP whoami.akamai.net
192.168.77.7 intranet.example.com
$(ip_of ok.example.com) xn--e1aqk0cl.example.com
EOF
}

# Adds to a running lab's resolver the records that this lab.sh knows and it lacks (an older lab.sh built
# it), without removing any: other users' records stay. The resolver rereads its hosts file on SIGHUP.
add_missing_resolver_records() {
  local hosts=$RUN/services/hosts line added=0 child
  [[ -f $hosts && -f $RUN/pids/resolver ]] || return 0
  while read -r line; do
    if ! grep -qxF "$line" "$hosts"; then echo "$line" >>"$hosts"; added=1; fi
  done < <(dns_only_records)
  [[ $added == 1 ]] || return 0
  log "added missing DNS records to the running lab"
  for child in $(ps -o pid= --ppid "$(cat "$RUN/pids/resolver")"); do
    if [[ $(ip netns identify "$child" 2>/dev/null) == rp-services ]]; then kill -HUP "$child"; fi
  done
  wait_for "new DNS records" dns_answers rp-control "$RESOLVER_IP" xn--e1aqk0cl.example.com
}

start_resolver() {
  write_resolver_hosts
  cat >"$RUN/services/dnsmasq.conf" <<EOF
# Real resolver of the lab: answers the lab zone from a hosts file, NXDOMAIN for everything else.
no-resolv
no-hosts
addn-hosts=$RUN/services/hosts
listen-address=$RESOLVER_IP
bind-interfaces
local=/#/
server=/inject.example.com/$SLOW_AUTHORITY_IP
cache-size=0
log-queries
log-facility=-
EOF
  start_daemon resolver rp-services dnsmasq --keep-in-foreground --user=root --pid-file= --conf-file="$RUN/services/dnsmasq.conf"
  start_daemon slow-authority rp-services "$PY" "$HERE/dns_tools.py" slow-authority --listen "$SLOW_AUTHORITY_IP" \
    --record "inject.example.com=$(ip_of inject.example.com)" --delay 0.3
}

# Copies the served pages without their first line (a comment for maintainers, not for the probe).
install_pages() {
  local f
  mkdir -p "$RUN/pages"
  for f in "$HERE"/pages/*.html; do tail -n +2 "$f" >"$RUN/pages/$(basename "$f")"; done
}

healthy_body() { printf "<!DOCTYPE html><html><head><title>OK service</title></head><body><h1>OK service</h1><p>%s is a healthy lab service.</p></body></html>" "$1"; }

# location blocks for one role: what the *provider* does (refusals only for the vantage's /24).
role_locations() {
  local name=$1 role=$2 ok
  ok="return 200 '$(healthy_body "$name")';"
  case $role in
    ok) echo "location / { $ok }" ;;
    geo451) cat <<EOF
location / { if (\$rp_from_vantage) { return 451; } $ok }
error_page 451 /_page.html;
location = /_page.html { internal; root $RUN/pages; try_files /geo451.html =404;
  add_header Link '<https://authority.example.org>; rel="blocked-by"' always; }
EOF
    ;;
    cf-geo) cat <<EOF
location / { if (\$rp_from_vantage) { return 403; } $ok }
error_page 403 /_page.html;
location = /_page.html { internal; root $RUN/pages; try_files /cf-1009.html =404;
  add_header CF-RAY "8c1f0e2d3b4a5968-LAB" always;
  add_header Cache-Control "private, max-age=0, no-store, no-cache, must-revalidate" always; }
EOF
    ;;
    cloudfront-geo) cat <<EOF
location / { if (\$rp_from_vantage) { return 403; } $ok }
error_page 403 /_page.html;
location = /_page.html { internal; root $RUN/pages; try_files /cloudfront-403.html =404;
  add_header X-Cache "Error from cloudfront" always;
  add_header Via "1.1 5f0e1a2b3c4d5e6f.cloudfront.net (CloudFront)" always;
  add_header X-Amz-Cf-Pop "LAB50-C1" always;
  add_header X-Amz-Cf-Id "bWVhc3VyZW1lbnQtbGFiLWNsb3VkZnJvbnQtZ2VvLWJsb2Nr" always; }
EOF
    ;;
    akamai-geo) cat <<EOF
location / { if (\$rp_from_vantage) { return 403; } $ok }
error_page 403 /_page.html;
location = /_page.html { internal; root $RUN/pages; try_files /akamai-403.html =404;
  add_header Mime-Version "1.0" always; }
EOF
    ;;
    gov-order) cat <<EOF
location / { if (\$rp_from_vantage) { return 302 /blank.php?rkn=12345; } $ok }
location = /blank.php { root $RUN/pages; try_files /rkn-blank.html =404; }
EOF
    ;;
    err500) cat <<EOF
location / { return 500; }
error_page 500 /_page.html;
location = /_page.html { internal; root $RUN/pages; try_files /err500.html =404; }
EOF
    ;;
    slow) echo "location / { echo_sleep 0.5; echo '$(healthy_body "$name")'; }" ;;
    # Privacy scenarios: servers that tell the client its own address, in every place the probe records.
    echo) cat <<EOF
location / {
  add_header X-Client-IP \$remote_addr always;
  add_header X-Forwarded-For "$VANTAGE_PUBLIC_IP, 198.18.2.2" always;
  add_header Via "1.1 proxy (client ip-${VANTAGE_IP//./-}.vantage.example)" always;
  return 200 '<!DOCTYPE html><html><head><title>Your address is \$remote_addr</title></head><body><p>Seen from \$remote_addr, forwarded for $VANTAGE_PUBLIC_IP.</p></body></html>';
}
EOF
    ;;
    whoami) echo "location / { default_type text/plain; return 200 '$VANTAGE_PUBLIC_IP\n'; }" ;;
    echo-body) cat <<EOF
location / { return 200 '<!DOCTYPE html><html><head><title>Welcome, visitor from $VANTAGE_PUBLIC_IP</title></head><body><p>Your line: ip-${VANTAGE_PUBLIC_IP//./-}.dsl.example (::ffff:$VANTAGE_PUBLIC_IP).</p></body></html>'; }
EOF
    ;;
    echo-encoded) cat <<EOF
location = / { return 302 '/welcome?client=${VANTAGE_PUBLIC_IP//./%2E}'; }
location / { $ok }
EOF
    ;;
    redirector) cat <<EOF
location = /to-self { return 302 'http://$VANTAGE_IP/'; }
location = /to-private { return 302 'http://10.1.2.3/'; }
location = /to-loopback { return 302 'http://127.0.0.1:9/'; }
location = /to-v6-loopback { return 302 'http://[::1]:9/'; }
location = /to-private-name { return 302 'http://intranet.example.com/'; }
location = /to-public { return 302 'http://ok.example.com/'; }
location / { $ok }
EOF
    ;;
    # A link shortener whose link leads to a host the censor resets by SNI: interference on hop 1.
    shortener) cat <<EOF
location = / { return 302 'https://sni-rst.example.com/'; }
location / { $ok }
EOF
    ;;
    *) die "unknown role $role in hosts.tsv" ;;
  esac
}

nginx_common() {
  local dir=$1
  cat <<EOF
user root;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 512; }
EOF
}

nginx_http_common() {
  local dir=$1
  cat <<EOF
  access_log $dir/access.log;
  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy; fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;
  types { text/html html php; }
  default_type text/html;
  charset utf-8;
  absolute_redirect off;
  server_tokens off;
  ssl_protocols TLSv1.2 TLSv1.3;
  keepalive_timeout 5;
  client_header_timeout 10;
EOF
}

# One nginx per service namespace (rp-services, rp-far), one server block per host that lives there.
# One host's nginx server block (none for outage: the address is up, nothing listens: connection refused).
server_block() {
  local name=$1 addr=$2 role=$3
  [[ $role == outage ]] && return 0
  cat <<EOF
  server {
    listen $addr:443 ssl default_server;
    listen $addr:80 default_server;
    server_name $name;
    ssl_certificate $RUN/certs/$name.pem;
    ssl_certificate_key $RUN/certs/$name.key;
$(role_locations "$name" "$role" | sed 's/^/    /')
  }
EOF
}

start_services_nginx() {
  local ns=$1 dir=$2 daemon=$3 name addr role
  mkdir -p "$dir/tmp"
  {
    echo "load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;"
    nginx_common "$dir"
    echo "http {"
    nginx_http_common "$dir"
    echo "  # The vantage's /24 plays \"the vantage's country\" for the providers' geo blocks."
    echo "  geo \$rp_from_vantage { default 0; 198.18.1.0/24 1; }"
    while read -r name addr role; do
      server_block "$name" "$addr" "$role"
    done < <(hosts_in "$ns")
    echo "}"
  } >"$dir/nginx.conf"
  in_ns "$ns" nginx -t -q -c "$dir/nginx.conf" -p "$dir" 2>"$RUN/log/$daemon-test.log" || die "bad $daemon nginx.conf: $(cat "$RUN/log/$daemon-test.log")"
  start_daemon "$daemon" "$ns" nginx -c "$dir/nginx.conf" -p "$dir" -g "daemon off;"
}

# --- censor ---------------------------------------------------------------------------------------

start_censor_dns() {
  local dir=$RUN/censor
  cat >"$dir/dnsmasq.conf" <<EOF
# The ISP's DNS: the vantage's queries to $RESOLVER_IP are DNATed here. Censored names get forged
# answers; the rest is forwarded to the real resolver.
no-resolv
no-hosts
listen-address=$CENSOR_VANTAGE_IP
bind-interfaces
server=$RESOLVER_IP
address=/nx.example.com/
address=/bogon.example.com/$BOGON_IP
cache-size=0
log-queries
log-facility=-
EOF
  start_daemon censor-dns rp-censor dnsmasq --keep-in-foreground --user=root --pid-file= --conf-file="$dir/dnsmasq.conf"
  start_daemon injector rp-censor "$PY" "$HERE/dns_tools.py" inject --iface cen-v \
    --name inject.example.com --answer "$BOGON_IP"
}

start_censor_nginx() {
  local dir=$RUN/censor
  mkdir -p "$dir/tmp"
  {
    nginx_common "$dir"
    echo "http {"
    nginx_http_common "$dir"
    cat <<EOF
  # TLS interception: mitm.example.com:443 is DNATed here; the certificate chains to the untrusted interceptor CA.
  server {
    listen $CENSOR_VANTAGE_IP:8443 ssl default_server;
    ssl_certificate $RUN/interceptor/mitm.example.com.pem;
    ssl_certificate_key $RUN/interceptor/mitm.example.com.key;
    location / { return 200 '$(healthy_body mitm.example.com)'; }
  }
  # Blockpage: blockpage.example.com:80 is DNATed here.
  server {
    listen $CENSOR_VANTAGE_IP:8080 default_server;
    location / { root $RUN/pages; try_files /blockpage.html =404; }
  }
}
EOF
  } >"$dir/nginx.conf"
  in_ns rp-censor nginx -t -q -c "$dir/nginx.conf" -p "$dir" 2>"$RUN/log/censor-nginx-test.log" || die "bad censor nginx.conf: $(cat "$RUN/log/censor-nginx-test.log")"
  start_daemon censor-nginx rp-censor nginx -c "$dir/nginx.conf" -p "$dir" -g "daemon off;"
}

# Every rule is keyed by destination address or by name and applies only to traffic entering from
# the vantage (cen-v), so all scenarios coexist and the control never meets the censor.
censor_rules() {
  local dir=$RUN/censor
  cat >"$dir/censor.nft" <<EOF
table inet rp_censor {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    # ISP DNS hijack: queries to the real resolver are answered by the censor's dnsmasq.
    iifname "cen-v" ip daddr $RESOLVER_IP udp dport 53 dnat ip to $CENSOR_VANTAGE_IP:53
    iifname "cen-v" ip daddr $RESOLVER_IP tcp dport 53 dnat ip to $CENSOR_VANTAGE_IP:53
    # TLS interception and HTTP blockpage, by destination address.
    iifname "cen-v" ip daddr $(ip_of mitm.example.com) tcp dport 443 dnat ip to $CENSOR_VANTAGE_IP:8443
    iifname "cen-v" ip daddr $(ip_of blockpage.example.com) tcp dport 80 dnat ip to $CENSOR_VANTAGE_IP:8080
  }
  chain noroute {
    type filter hook prerouting priority filter; policy accept;
    # The censor has no route outside 198.18.0.0/15, so the kernel would answer ICMP net-unreachable
    # anyway; this rule sends that same ICMP (type 3 code 0 from $CENSOR_VANTAGE_IP) without the kernel's
    # route-error token bucket (burst 5, then 1/s, a global sysctl) that makes parallel tests flaky.
    iifname "cen-v" ip daddr != 198.18.0.0/15 reject with icmp type net-unreachable
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "cen-v" ip daddr $(ip_of rst-ip.example.com) tcp flags & (syn | ack) == syn reject with tcp reset
    iifname "cen-v" ip daddr $(ip_of blackhole.example.com) drop
    iifname "cen-v" ip daddr $(ip_of lossy.example.com) numgen random mod 10 < 2 drop
  }
}
EOF
  in_ns rp-censor nft -f "$dir/censor.nft"
  # SNI filtering needs a payload string match: iptables-nft's xt string match (nftables underneath).
  # sni-drop marks the connection so the rest of the flow (retransmissions) is dropped too.
  local ipt=(in_ns rp-censor iptables -w 5)
  "${ipt[@]}" -A FORWARD -i cen-v -p tcp --dport 443 -m connmark --mark 0x5 -j DROP
  "${ipt[@]}" -A FORWARD -i cen-v -p tcp --dport 443 -m string --algo bm --string sni-drop.example.com -j CONNMARK --set-mark 0x5
  "${ipt[@]}" -A FORWARD -i cen-v -p tcp --dport 443 -m string --algo bm --string sni-drop.example.com -j DROP
  # (far-sni-rst.example.com also contains sni-rst.example.com; its own rule keeps it censored on its own.)
  far_censor_rules
  "${ipt[@]}" -A FORWARD -i cen-v -p tcp --dport 443 -m string --algo bm --string sni-rst.example.com -j REJECT --reject-with tcp-reset
}

far_censor_rules() {
  in_ns rp-censor iptables -w 5 -A FORWARD -i cen-v -p tcp --dport 443 -m string --algo bm --string far-sni-rst.example.com -j REJECT --reject-with tcp-reset
}

# --- the long path: far services and the provider's edge --------------------------------------------

start_far_services() {
  start_services_nginx rp-far "$RUN/far" far-nginx
  edge_rules
}

# Adds the long path to a running lab that an older lab.sh built without it (see shared_up): nothing
# of the running lab is torn down, so its live users keep going.
far_up() {
  create_namespaces "${FAR_NAMESPACES[@]}"
  build_long_path
  make_host_certificates rp-far
  start_far_services
  # The resolver (cache-size=0) rereads its hosts file on SIGHUP; its pid file holds timeout's pid.
  write_resolver_hosts
  local child
  for child in $(ps -o pid= --ppid "$(cat "$RUN/pids/resolver")"); do
    if [[ $(ip netns identify "$child" 2>/dev/null) == rp-services ]]; then kill -HUP "$child"; fi
  done
  if ! in_ns rp-censor iptables -w 5 -C FORWARD -i cen-v -p tcp --dport 443 -m string --algo bm \
      --string far-sni-rst.example.com -j REJECT --reject-with tcp-reset 2>/dev/null; then
    far_censor_rules
  fi
  wait_far
}

wait_far() {
  wait_for "far nginx" tcp_open rp-control "$(ip_of far.example.com)" 443
  wait_for "far DNS records" dns_answers rp-control "$RESOLVER_IP" far.example.com
}

# Adds to a running lab the rp-services hosts of hosts.tsv it lacks (one built by an older lab.sh that still
# has live users): each one's address, certificate, nginx server block and resolver record. Whatever the
# running lab already serves, hosts this lab.sh does not know included, stays as it is; nginx and the
# resolver reload gracefully.
add_missing_services() {
  local name addr role added=() child have
  local conf=$RUN/services/nginx.conf
  have=$(ip -n rp-services -o addr show dev lo)   # not piped into grep -q: pipefail would see ip's SIGPIPE
  while read -r name addr role; do
    [[ $have == *" $addr/32 "* ]] || added+=("$name $addr $role")
  done < <(hosts_in rp-services)
  [[ ${#added[@]} -gt 0 ]] || return 0
  log "adding to the running lab: $(printf '%s\n' "${added[@]}" | cut -d' ' -f1 | tr '\n' ' ')"
  {
    sed '$d' "$conf"   # the closing brace of the http block
    for name in "${added[@]}"; do
      read -r name addr role <<<"$name"
      ip -n rp-services addr replace "$addr/32" dev lo
      make_leaf "$RUN/ca" ca "$RUN/certs" "$name"
      echo "$addr $name" >>"$RUN/services/hosts"
      server_block "$name" "$addr" "$role"
    done
    echo "}"
  } >"$conf.new"
  in_ns rp-services nginx -t -q -c "$conf.new" -p "$RUN/services" 2>"$RUN/log/services-nginx-test.log" ||
    die "bad services nginx.conf: $(cat "$RUN/log/services-nginx-test.log")"
  mv "$conf.new" "$conf"
  # Both pid files hold timeout's pid; the daemon is its child in rp-services.
  for child in $(ps -o pid= --ppid "$(cat "$RUN/pids/services-nginx")") $(ps -o pid= --ppid "$(cat "$RUN/pids/resolver")"); do
    if [[ $(ip netns identify "$child" 2>/dev/null) == rp-services ]]; then kill -HUP "$child"; fi
  done
  for name in "${added[@]}"; do
    read -r name addr role <<<"$name"
    [[ $role == outage ]] || wait_for "$name" tcp_open rp-control "$addr" 443
    wait_for "$name DNS record" dns_answers rp-control "$RESOLVER_IP" "$name"
  done
}

# --- up / status ----------------------------------------------------------------------------------

lab_up() {
  check_capabilities
  check_tools
  lab_down
  mkdir -p "$RUN/pids" "$RUN/log" "$RUN/censor"
  create_namespaces "${NAMESPACES[@]}"
  build_topology
  make_certificates
  install_pages
  start_resolver
  start_services_nginx rp-services "$RUN/services" services-nginx
  start_far_services
  start_censor_dns
  start_censor_nginx
  censor_rules

  wait_for "services nginx" tcp_open rp-control "$(ip_of ok.example.com)" 443
  wait_far
  wait_for "real resolver" dns_answers rp-control "$RESOLVER_IP" ok.example.com
  wait_for "censor DNS" dns_answers rp-vantage "$RESOLVER_IP" ok.example.com
  wait_for "censor nginx" tcp_open rp-vantage "$(ip_of mitm.example.com)" 443
  wait_for "injector" grep -q watching "$RUN/log/injector.log"
  date -u +%FT%TZ >"$RUN/up"
  log "up (CA: $RUN/ca/ca.pem)"
}

lab_status() {
  local ns f pid ok=0
  for ns in "${@:-${NAMESPACES[@]}}"; do
    if ip netns list | grep -qw "^$ns"; then echo "namespace $ns: present"; else echo "namespace $ns: missing"; ok=1; fi
  done
  if [[ -d $RUN/pids ]]; then
    for f in "$RUN"/pids/*; do
      pid=$(cat "$f")
      if alive "$pid"; then echo "daemon $(basename "$f"): running (pid $pid)"; else echo "daemon $(basename "$f"): dead"; ok=1; fi
    done
  else
    echo "daemons: none"; ok=1
  fi
  [[ -f $RUN/up ]] && echo "up since $(cat "$RUN/up")" || ok=1
  return $ok
}

# --- sharing between concurrent users -------------------------------------------------------------

# Serializes up/down across processes (bounded wait: a lab builds in well under a minute).
take_lock() {
  exec 9>"$LOCK"
  flock -w 120 9 || die "another lab.sh has held $LOCK for 2 minutes"
}

# Forgets users whose process has gone; prints the live ones.
live_users() {
  local f
  mkdir -p "$USERS"
  for f in "$USERS"/*; do
    [[ -e $f ]] || continue
    if alive "$(basename "$f")"; then basename "$f"; else rm -f "$f"; fi
  done
}

OWNER=$PPID   # the caller: ctest for the fixture, the interactive shell by hand

# True when the lab is a healthy one from before the long path: every base namespace and daemon up,
# none of the long path's namespaces there.
lacks_only_long_path() {
  local ns
  for ns in "${FAR_NAMESPACES[@]}"; do
    if ip netns list | grep -qw "^$ns"; then return 1; fi
  done
  [[ ! -e $RUN/pids/far-nginx ]] && lab_status "${BASE_NAMESPACES[@]}" >/dev/null 2>&1
}

shared_up() {
  if [[ -n $(live_users) ]] && lab_status >/dev/null 2>&1; then
    add_missing_services
    add_missing_resolver_records
    touch "$USERS/$OWNER"
    log "up (joined; users: $(live_users | tr '\n' ' '))"
    return 0
  fi
  if [[ -n $(live_users) ]] && lacks_only_long_path; then
    log "adding the long path to the running lab (users: $(live_users | tr '\n' ' '))"
    far_up
    touch "$USERS/$OWNER"
    return 0
  fi
  lab_up
  touch "$USERS/$OWNER"
}

shared_down() {
  rm -f "$USERS/$OWNER"
  local others
  others=$(live_users | tr '\n' ' ')
  if [[ -n $others ]]; then
    log "left up: still used by pid(s) $others"
    return 0
  fi
  lab_down
  log "down"
}

require_root_for() { [[ $EUID -eq 0 ]] || { echo "lab: not root, nothing to $1 (skipping)" >&2; exit 77; }; }

case "${1:-} ${2:-}" in
  "up ") check_capabilities; take_lock; lab_up; rm -rf "$USERS"; mkdir -p "$USERS"; touch "$USERS/$OWNER" ;;
  "up --shared") check_capabilities; take_lock; shared_up ;;
  "down ") require_root_for "tear down"; take_lock; lab_down; rm -rf "$USERS"; log "down" ;;
  "down --shared") require_root_for "tear down"; take_lock; shared_down ;;
  "status ") lab_status ;;
  *) echo "usage: $0 up|down [--shared] | status" >&2; exit 2 ;;
esac
