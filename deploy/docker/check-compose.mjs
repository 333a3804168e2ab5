// Checks what docker-compose.yml renders to (`docker-compose config` output, a file given as argument) for the
// rules the stack relies on; run by deploy/check.sh (with the `yaml` package of deploy/.tools/node).
//   - the six services, each with a health check; every depends_on waits for service_healthy;
//   - the worker scales: no container_name, no published ports;
//   - every published port is bound to 127.0.0.1;
//   - the gateway and the workers get every setting the services are configured by (datasource, broker, keys);
//   - every bind-mounted file exists.
// With --cluster (rendered with deploy/docker/rabbitmq-cluster.yml): three RabbitMQ nodes with fixed host names,
// each with its own data volume, the cluster settings and the cookie secret; the gateway and the workers get all
// three addresses.
import { readFileSync, existsSync } from "node:fs";
import { parse } from "yaml";

const config = parse(readFileSync(process.argv[2], "utf8"));
const cluster = process.argv[3] === "--cluster";
const problems = [];
const services = config.services ?? {};
const nodes = cluster ? ["rabbitmq", "rabbitmq-2", "rabbitmq-3"] : ["rabbitmq"];
const expected = [...nodes, "postgres", "gateway", "worker", "prometheus", "grafana"];
for (const name of expected) if (!services[name]) problems.push(`service ${name} is missing`);
const CONTRACT = ["SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD", "SPRING_RABBITMQ_HOST",
  "SPRING_RABBITMQ_PORT", "SPRING_RABBITMQ_USERNAME", "SPRING_RABBITMQ_PASSWORD", "SPRING_RABBITMQ_VIRTUAL_HOST", "STOWAGE_API_KEYS"];
for (const [name, s] of Object.entries(services)) {
  const test = s.healthcheck?.test;
  if (!test || s.healthcheck?.disable || (Array.isArray(test) && test[0] === "NONE")) problems.push(`${name}: no health check`);
  for (const [dep, d] of Object.entries(s.depends_on ?? {})) {
    if (d?.condition !== "service_healthy") problems.push(`${name}: depends_on ${dep} must wait for condition service_healthy`);
  }
  for (const p of s.ports ?? []) {
    const spec = typeof p === "string" ? p : `${p.host_ip ?? ""}:${p.published}:${p.target}`;
    if (!spec.startsWith("127.0.0.1:")) problems.push(`${name}: port ${spec} is not bound to 127.0.0.1`);
  }
  for (const v of s.volumes ?? []) {
    const source = typeof v === "string" ? v.split(":")[0] : v.type === "bind" ? v.source : null;
    if (source && source.startsWith("/") && !existsSync(source)) problems.push(`${name}: mounted ${source} does not exist`);
  }
}
const worker = services.worker ?? {};
if (worker.container_name) problems.push("worker: container_name stops `--scale worker=N`");
if ((worker.ports ?? []).length) problems.push("worker: published ports stop `--scale worker=N`");
for (const name of ["gateway", "worker"]) {
  const env = services[name]?.environment ?? {};
  for (const key of CONTRACT) if (!env[key]) problems.push(`${name}: environment ${key} is missing`);
}
if (cluster) {
  const volumes = new Set();
  for (const node of nodes) {
    const s = services[node] ?? {};
    if (s.hostname !== node) problems.push(`${node}: hostname must be ${node} (the node name rabbit@${node} follows it)`);
    const mounts = (s.volumes ?? []).map((v) => (typeof v === "string" ? v : `${v.source}:${v.target}`));
    if (!mounts.some((m) => m.includes("deploy/rabbitmq/cluster.conf"))) problems.push(`${node}: deploy/rabbitmq/cluster.conf is not mounted`);
    const data = mounts.find((m) => /:\/var\/lib\/rabbitmq(:rw)?$/.test(m));
    if (!data) problems.push(`${node}: no data volume at /var/lib/rabbitmq`);
    else volumes.add(data.split(":")[0]);
    if (!(s.secrets ?? []).some((x) => (x.source ?? x) === "rabbitmq-erlang-cookie")) problems.push(`${node}: no Erlang cookie secret`);
  }
  if (volumes.size !== nodes.length) problems.push("the RabbitMQ nodes must each have a data volume of their own");
  for (const name of ["gateway", "worker"]) {
    const addresses = String(services[name]?.environment?.SPRING_RABBITMQ_ADDRESSES ?? "");
    for (const node of nodes) if (!addresses.includes(`${node}:5672`)) problems.push(`${name}: SPRING_RABBITMQ_ADDRESSES lacks ${node}:5672`);
  }
}
if (problems.length) {
  console.error(`docker-compose.yml: ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`docker-compose.yml${cluster ? " + rabbitmq-cluster.yml" : ""}: ${Object.keys(services).length} services, all health-checked, ports on 127.0.0.1 only, worker scalable${cluster ? ", three RabbitMQ nodes" : ""}`);
