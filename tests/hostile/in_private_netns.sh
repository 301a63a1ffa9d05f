#!/bin/sh
# Runs a command in a network namespace of its own with only loopback up, when one may be created (root):
# the hostile servers and the probe then share a loopback that nothing else can reach, and nothing they
# send can leave it. Unprivileged, the command runs as it is; loopback is still all the tests use.
if [ "$(id -u)" = 0 ] && unshare --net true 2>/dev/null; then
  exec unshare --net sh -c 'ip link set lo up && exec "$@"' sh "$@"
fi
exec "$@"
