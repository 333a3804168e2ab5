// Offline, strict schema validation of the Kubernetes manifests in deploy/k8s (run by deploy/check.sh).
//
//   node validate.mjs <dir-with-kustomization.yaml> [extra manifest files ...]
//
// Every document is checked against the schema of its apiVersion/kind, and an unknown apiVersion/kind is an
// error, never skipped:
//   - Kubernetes kinds: the OpenAPI schemas of Kubernetes itself, compiled into validators by `kubernetes-models`;
//   - KEDA ScaledObject/TriggerAuthentication and CloudNativePG Cluster: validators compiled from those projects'
//     published CRDs (`@kubernetes-models/keda`, `@kubernetes-models/cloudnative-pg`);
//   - RabbitmqCluster: no package publishes its CRD, so ../schemas holds an excerpt of the operator's CRD schema,
//     checked with Ajv (see deploy/k8s/schemas/README.md).
// Strict like `kubeconform -strict`: a field the schema does not know (a typo, a wrong level of indentation) is
// an error too, as the API server would drop it silently or, with field validation, refuse it. For the compiled
// validators this is found by watching which properties a validator reads: it reads every property its schema
// declares and enumerates the objects whose schema allows any key (labels, data, ...); whatever it never looked
// at is unknown.
// Last, a few cross-references the API server cannot check: Deployment selectors match their pod labels,
// Services select pods that exist, ScaledObjects target an existing Deployment, every ConfigMap and Secret a pod
// reads exists (or is one an operator here creates), the kustomization lists existing files.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, basename, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const dir = process.argv[2];
const extras = process.argv.slice(3);
if (!dir) {
  console.error("usage: node validate.mjs <dir-with-kustomization.yaml> [extra manifests ...]");
  process.exit(2);
}
const errors = [];
const fail = (where, message) => errors.push(`${where}: ${message}`);

// ---- models -------------------------------------------------------------------------------------------------
const MODELS = {
  "v1/Namespace": "kubernetes-models/v1/Namespace",
  "v1/ConfigMap": "kubernetes-models/v1/ConfigMap",
  "v1/Secret": "kubernetes-models/v1/Secret",
  "v1/Service": "kubernetes-models/v1/Service",
  "v1/ServiceAccount": "kubernetes-models/v1/ServiceAccount",
  "apps/v1/Deployment": "kubernetes-models/apps/v1/Deployment",
  "policy/v1/PodDisruptionBudget": "kubernetes-models/policy/v1/PodDisruptionBudget",
  "keda.sh/v1alpha1/ScaledObject": "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject",
  "keda.sh/v1alpha1/TriggerAuthentication": "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication",
  "postgresql.cnpg.io/v1/Cluster": "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster",
};
const SCHEMAS = {
  "rabbitmq.com/v1beta1/RabbitmqCluster": join(dir, "schemas", "rabbitmqcluster-rabbitmq.com-v1beta1.excerpt.json"),
};

// Runs `validate` on a Proxy of `data` and returns the paths of properties it never read.
function unreadProperties(data, validate) {
  const read = new Set();
  const enumerated = new Set();
  const watch = (value, path) => {
    if (value === null || typeof value !== "object") return value;
    return new Proxy(value, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof key === "string" && Object.hasOwn(target, key)) {
          read.add(`${path}/${key}`);
          return watch(v, `${path}/${key}`);
        }
        return v;
      },
      has(target, key) {
        if (typeof key === "string") read.add(`${path}/${key}`);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        enumerated.add(path);
        return Reflect.ownKeys(target);
      },
    });
  };
  let error = null;
  try {
    validate(watch(data, ""));
  } catch (e) {
    error = e;
  }
  const unread = [];
  const walk = (value, path) => {
    if (value === null || typeof value !== "object") return;
    for (const key of Object.keys(value)) {
      const p = `${path}/${key}`;
      if (!Array.isArray(value) && !enumerated.has(path) && !read.has(p)) unread.push(p);
      else walk(value[key], p);
    }
  };
  walk(data, "");
  return { error, unread };
}

async function modelValidator(module, kind) {
  const Model = (await import(module))[kind];
  if (typeof Model?.prototype?.validate !== "function") throw new Error(`${module} has no model ${kind}`);
  return (data) => Model.prototype.validate.call(data);
}

// OpenAPI v3 (CRD) to JSON Schema for Ajv, strict: objects with declared properties accept no others, unless
// the schema says x-kubernetes-preserve-unknown-fields.
function strictSchema(s) {
  if (Array.isArray(s)) return s.map(strictSchema);
  if (s === null || typeof s !== "object") return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === "properties") out[k] = Object.fromEntries(Object.entries(v).map(([n, p]) => [n, strictSchema(p)]));
    else if (k === "x-kubernetes-int-or-string" || k === "$comment") continue;
    else if (k.startsWith("x-kubernetes-")) continue;
    else out[k] = strictSchema(v);
  }
  if (s.properties && s.additionalProperties === undefined && !s["x-kubernetes-preserve-unknown-fields"]) out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat("int32", { type: "number", validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addFormat("int64", { type: "number", validate: (n) => Number.isInteger(n) });
const ObjectMeta = await modelValidator("@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta", "ObjectMeta");

async function validatorFor(key) {
  if (MODELS[key]) {
    const validate = await modelValidator(MODELS[key], key.split("/").pop());
    return (doc) => {
      const { error, unread } = unreadProperties(doc, validate);
      const problems = unread.map((p) => `${p}: unknown field`);
      if (error) problems.unshift(...String(error.message).split(/,\s*(?=data\/)/).map((m) => m.replace(/^data/, "")));
      return problems;
    };
  }
  if (SCHEMAS[key]) {
    const validate = ajv.compile(strictSchema(JSON.parse(readFileSync(SCHEMAS[key], "utf8"))));
    return (doc) => {
      const problems = [];
      if (!validate(doc)) {
        for (const e of validate.errors) {
          const extra = e.keyword === "additionalProperties" ? ` '${e.params.additionalProperty}': unknown field` : "";
          problems.push(`${e.instancePath || "/"}: ${e.message}${extra}`);
        }
      }
      // CRD schemas leave metadata to the API server: check it as ObjectMeta.
      const meta = unreadProperties(doc.metadata ?? {}, ObjectMeta);
      problems.push(...meta.unread.map((p) => `/metadata${p}: unknown field`));
      if (meta.error) problems.push(`/metadata: ${meta.error.message}`);
      return problems;
    };
  }
  return null;
}

// ---- files --------------------------------------------------------------------------------------------------
function load(file) {
  const where = relative(process.cwd(), file) || file;
  const docs = [];
  for (const d of parseAllDocuments(readFileSync(file, "utf8"), { uniqueKeys: true, prettyErrors: true })) {
    for (const e of [...d.errors, ...d.warnings]) fail(where, `YAML: ${e.message}`);
    const value = d.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) docs.push(value);
  }
  return docs.map((doc) => ({ doc, file: where }));
}

const kustomizationFile = join(dir, "kustomization.yaml");
if (!existsSync(kustomizationFile)) {
  console.error(`${kustomizationFile}: missing`);
  process.exit(1);
}
const [{ doc: kustomization }] = load(kustomizationFile);
const KUSTOMIZATION_FIELDS = new Set(["apiVersion", "kind", "namespace", "namePrefix", "nameSuffix", "labels", "commonLabels",
  "commonAnnotations", "resources", "images", "replicas", "patches", "configMapGenerator", "secretGenerator", "generatorOptions", "components"]);
{
  const where = relative(process.cwd(), kustomizationFile);
  if (kustomization.apiVersion !== "kustomize.config.k8s.io/v1beta1" || kustomization.kind !== "Kustomization")
    fail(where, "must be apiVersion kustomize.config.k8s.io/v1beta1, kind Kustomization");
  for (const k of Object.keys(kustomization)) if (!KUSTOMIZATION_FIELDS.has(k)) fail(where, `/${k}: unknown field`);
  if (!Array.isArray(kustomization.resources) || kustomization.resources.length === 0) fail(where, "/resources: must list the manifests");
  for (const r of kustomization.resources ?? []) if (!existsSync(join(dir, r))) fail(where, `/resources: ${r} does not exist`);
  const listed = new Set(kustomization.resources ?? []);
  const notListed = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== "kustomization.yaml" && !listed.has(f)
    && !extras.some((e) => basename(e) === f));
  for (const f of notListed) fail(where, `/resources: ${f} is in ${dir} but neither listed nor validated as an extra`);
}

const resources = [
  ...(kustomization.resources ?? []).filter((r) => existsSync(join(dir, r))).flatMap((r) => load(join(dir, r))),
  ...extras.flatMap((f) => load(f)),
];

let checked = 0;
const byKind = {};
for (const { doc, file } of resources) {
  const name = `${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
  const where = `${file}: ${name}`;
  if (typeof doc !== "object" || Array.isArray(doc)) { fail(file, "a document is not a mapping"); continue; }
  const key = `${doc.apiVersion}/${doc.kind}`;
  const validate = await validatorFor(key);
  if (!validate) { fail(where, `no schema for apiVersion ${doc.apiVersion}, kind ${doc.kind} (add one to validate.mjs)`); continue; }
  if (!doc.metadata?.name) fail(where, "/metadata/name: required");
  for (const p of validate(doc)) fail(where, p);
  (byKind[doc.kind] ??= []).push(doc);
  checked++;
}

// ---- cross-references -----------------------------------------------------------------------------------------
const names = (kind) => new Set((byKind[kind] ?? []).map((d) => d.metadata.name));
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
const podLabels = (byKind.Deployment ?? []).map((d) => d.spec?.template?.metadata?.labels ?? {});
for (const d of byKind.Deployment ?? []) {
  if (!matches(d.spec?.selector?.matchLabels, d.spec?.template?.metadata?.labels))
    fail(`Deployment/${d.metadata.name}`, "spec.selector.matchLabels do not match spec.template.metadata.labels");
}
for (const s of byKind.Service ?? []) {
  if (s.spec?.selector && !podLabels.some((l) => matches(s.spec.selector, l)))
    fail(`Service/${s.metadata.name}`, "spec.selector matches no Deployment's pods");
}
for (const p of byKind.PodDisruptionBudget ?? []) {
  if (!podLabels.some((l) => matches(p.spec?.selector?.matchLabels, l)))
    fail(`PodDisruptionBudget/${p.metadata.name}`, "spec.selector matches no Deployment's pods");
}
// Secrets that operators create from the resources here.
const generatedSecrets = new Set([
  ...[...names("Cluster")].flatMap((n) => [`${n}-app`, `${n}-superuser`]),
  ...[...names("RabbitmqCluster")].map((n) => `${n}-default-user`),
]);
const secrets = new Set([...names("Secret"), ...generatedSecrets]);
const configMaps = names("ConfigMap");
for (const d of byKind.Deployment ?? []) {
  for (const c of d.spec?.template?.spec?.containers ?? []) {
    const where = `Deployment/${d.metadata.name} container ${c.name}`;
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef && !configMaps.has(f.configMapRef.name)) fail(where, `envFrom ConfigMap ${f.configMapRef.name} does not exist`);
      if (f.secretRef && !secrets.has(f.secretRef.name)) fail(where, `envFrom Secret ${f.secretRef.name} does not exist`);
    }
    for (const e of c.env ?? []) {
      const s = e.valueFrom?.secretKeyRef;
      if (s && !secrets.has(s.name)) fail(where, `env ${e.name}: Secret ${s.name} is neither defined nor created by an operator here`);
      const m = e.valueFrom?.configMapKeyRef;
      if (m && !configMaps.has(m.name)) fail(where, `env ${e.name}: ConfigMap ${m.name} does not exist`);
    }
  }
}
const deployments = names("Deployment");
const triggerAuths = names("TriggerAuthentication");
for (const so of byKind.ScaledObject ?? []) {
  const t = so.spec?.scaleTargetRef;
  if ((t?.kind ?? "Deployment") === "Deployment" && !deployments.has(t?.name))
    fail(`ScaledObject/${so.metadata.name}`, `scaleTargetRef ${t?.name} is not a Deployment here`);
  for (const tr of so.spec?.triggers ?? []) {
    if (tr.authenticationRef && !triggerAuths.has(tr.authenticationRef.name))
      fail(`ScaledObject/${so.metadata.name}`, `trigger ${tr.type}: TriggerAuthentication ${tr.authenticationRef.name} does not exist`);
  }
}
for (const ta of byKind.TriggerAuthentication ?? []) {
  for (const r of ta.spec?.secretTargetRef ?? []) {
    if (!secrets.has(r.name)) fail(`TriggerAuthentication/${ta.metadata.name}`, `Secret ${r.name} does not exist`);
  }
}

if (errors.length) {
  console.error(`k8s: ${errors.length} problem(s) in ${dir}:`);
  for (const e of errors) console.error(`  ${e}`);
  process.exit(1);
}
console.log(`k8s: ${checked} resources valid (${Object.entries(byKind).map(([k, v]) => `${v.length} ${k}`).join(", ")})`);
