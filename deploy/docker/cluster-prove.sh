#!/usr/bin/env bash
# Proves the three-node RabbitMQ cluster for real (deploy/docker/prove.py cluster): docker-compose.yml with
# deploy/docker/rabbitmq-cluster.yml, every queue a quorum queue with 3 replicas; 1,000 files flow while the node
# that leads the work queue is stopped and started again; then a retry and a dead letter after the failover, and
# one paused node (a minority) while 100 more files are stored. Prints a table of the checks and figures (time to
# a new leader, to files DONE again, to every consumer back); exits 1 on the first that fails, with the logs.
#
# Usage: deploy/docker/cluster-prove.sh [--official-images]
set -euo pipefail
exec "$(dirname "$0")/prove.sh" --cluster "$@"
