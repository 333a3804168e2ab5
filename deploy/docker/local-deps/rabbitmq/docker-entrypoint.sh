#!/bin/sh
# Starts RabbitMQ the way the official image does: the default user from RABBITMQ_DEFAULT_USER/PASS (guest may
# connect from other hosts, as there), then the server in the foreground as the rabbitmq user, so that it gets
# docker stop's SIGTERM.
set -eu
if [ "${1:-}" != rabbitmq-server ]; then
  exec "$@"
fi
conf=/etc/rabbitmq/conf.d/10-defaults.conf
{
  echo "loopback_users.guest = false"
  if [ -n "${RABBITMQ_DEFAULT_USER:-}" ]; then echo "default_user = $RABBITMQ_DEFAULT_USER"; fi
  if [ -n "${RABBITMQ_DEFAULT_PASS:-}" ]; then echo "default_pass = $RABBITMQ_DEFAULT_PASS"; fi
  if [ -n "${RABBITMQ_DEFAULT_VHOST:-}" ]; then echo "default_vhost = $RABBITMQ_DEFAULT_VHOST"; fi
} >"$conf"
chown rabbitmq:rabbitmq "$conf" /var/lib/rabbitmq
chmod 600 "$conf"
if [ -f /var/lib/rabbitmq/.erlang.cookie ]; then
  chown rabbitmq:rabbitmq /var/lib/rabbitmq/.erlang.cookie 2>/dev/null || true
fi
exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server
