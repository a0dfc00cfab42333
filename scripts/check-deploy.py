"""Project rules for the container deployment, checked on the model `docker compose config`
resolved (short syntax normalised, variables interpolated), plus the files it mounts.

Called by scripts/check-deploy.sh; prints every broken rule and exits 1 if there is one.
"""

import argparse
import json
import re
import sys
from pathlib import Path

from ruamel.yaml import YAML

REQUIRED_SERVICES = {
    "temporal-db", "app-db", "temporal-schema", "temporal", "temporal-setup",
    "ui", "worker", "codec-server", "prometheus",
}
SCALED = "worker"  # must stay scalable with --scale
METRICS_PORT = 9464
# A tag with at least major.minor (16.10, v3.5.0, 1.31.0) or a digest: `postgres:16` or
# `latest` would silently move under us.
PINNED = re.compile(r"^[^@\s]+(:[^:@\s]*\d+\.\d+[^:@\s]*)?(@sha256:[0-9a-f]{64})?$")
# Custom search attribute slots per type in Temporal's PostgreSQL visibility schema.
SQL_VISIBILITY_SLOTS = {"Keyword": 10, "Int": 3, "Double": 3, "Bool": 3, "Datetime": 3, "Text": 3,
                        "KeywordList": 3}
SDK_TYPE = {"KEYWORD": "Keyword", "INT": "Int", "DOUBLE": "Double", "BOOL": "Bool",
            "DATETIME": "Datetime", "TEXT": "Text", "KEYWORD_LIST": "KeywordList"}

problems: list[str] = []


def problem(where: str, message: str) -> None:
    problems.append(f"{where}: {message}")


def dockerfile_final_stage(text: str) -> str:
    """The last stage (after the last FROM): what the container actually runs."""
    return re.split(r"(?im)^FROM\s", text)[-1]


def check_images(services: dict, dockerfile: str) -> None:
    for name, svc in services.items():
        image = svc.get("image", "")
        if "build" in svc:
            if image.endswith(":latest") or ":" not in image:
                problem(name, f"built image '{image}' needs an explicit, non-latest tag")
            continue
        if ":" not in image.split("/")[-1] or image.endswith(":latest") or not PINNED.match(image):
            problem(name, f"image '{image}' is not pinned to a major.minor(.patch) tag or digest")
    arg = re.search(r"(?m)^ARG\s+NODE_IMAGE=(\S+)", dockerfile)
    if not arg or not PINNED.match(arg.group(1)) or ":" not in arg.group(1):
        problem("Dockerfile", "ARG NODE_IMAGE must default to a pinned node image tag")


def has_healthcheck(svc: dict, dockerfile: str) -> bool:
    hc = svc.get("healthcheck")
    if hc is not None:
        return not hc.get("disable", False) and bool(hc.get("test"))
    # A built image may carry its own HEALTHCHECK instruction.
    return "build" in svc and bool(re.search(r"(?m)^HEALTHCHECK\s+(?!NONE)", dockerfile_final_stage(dockerfile)))


def check_dependencies(services: dict, dockerfile: str) -> None:
    for name, svc in services.items():
        for dep, spec in (svc.get("depends_on") or {}).items():
            target = services.get(dep)
            condition = spec.get("condition")
            if target is None:
                problem(name, f"depends on unknown service '{dep}'")
            elif condition == "service_healthy":
                if not has_healthcheck(target, dockerfile):
                    problem(name, f"waits for '{dep}' to be healthy, but '{dep}' has no healthcheck")
            elif condition == "service_completed_successfully":
                if target.get("restart", "no") not in ("no", "on-failure") and not str(
                        target.get("restart", "")).startswith("on-failure"):
                    problem(dep, "is waited for as a one-shot job, so it must not restart forever")
            else:
                problem(name, f"depends on '{dep}' with condition '{condition}': use service_healthy "
                              "or service_completed_successfully, which actually order start-up")


def check_ports(services: dict) -> None:
    seen: dict[str, str] = {}
    for name, svc in services.items():
        if "container_name" in svc:
            problem(name, "has a fixed container_name: it blocks --scale and parallel stacks")
        for port in svc.get("ports") or []:
            published = str(port.get("published", ""))
            if not published:
                continue
            if not port.get("host_ip"):
                problem(name, f"port {published} is published on all interfaces: bind it to ${{BIND_ADDRESS}}")
            if published in seen:
                problem(name, f"host port {published} is also published by '{seen[published]}'")
            seen[published] = name


def check_worker(services: dict) -> None:
    worker = services.get(SCALED, {})
    env = worker.get("environment") or {}
    if worker.get("ports"):
        problem(SCALED, "publishes host ports: replicas would collide under --scale")
    if "build" not in worker:
        problem(SCALED, "must be built from the repository Dockerfile")
    if not str(env.get("SCORELINE_DB", "")).startswith("postgres://"):
        problem(SCALED, "SCORELINE_DB must be a postgres:// URL (the application database)")
    if env.get("TEMPORAL_ADDRESS") != "temporal:7233":
        problem(SCALED, f"TEMPORAL_ADDRESS defaults to '{env.get('TEMPORAL_ADDRESS')}', expected temporal:7233")
    if str(env.get("SCORELINE_METRICS_PORT")) != str(METRICS_PORT):
        problem(SCALED, f"SCORELINE_METRICS_PORT must be {METRICS_PORT} (what Prometheus scrapes)")
    for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TEMPORAL_NAMESPACE"):
        if key not in env:
            problem(SCALED, f"environment lacks {key}")


def check_mounts(services: dict, root: Path) -> None:
    for name, svc in services.items():
        for vol in svc.get("volumes") or []:
            if vol.get("type") == "bind" and not Path(vol["source"]).exists():
                problem(name, f"bind mount source {vol['source']} does not exist")


def check_prometheus(root: Path, services: dict) -> None:
    config = YAML(typ="safe").load((root / "deploy/prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config.get("scrape_configs", [])}
    worker = jobs.get("scoreline-worker", {})
    dns = [sd for sd in worker.get("dns_sd_configs", []) if SCALED in sd.get("names", [])]
    if not dns or dns[0].get("port") != METRICS_PORT or dns[0].get("type") != "A":
        problem("deploy/prometheus.yml", f"job scoreline-worker must discover every '{SCALED}' replica "
                                         f"by DNS (type A, port {METRICS_PORT})")
    endpoint = str((services.get("temporal", {}).get("environment") or {}).get("PROMETHEUS_ENDPOINT", ""))
    targets = [t for sc in jobs.get("temporal-server", {}).get("static_configs", []) for t in sc["targets"]]
    if endpoint and f"temporal:{endpoint.rsplit(':', 1)[-1]}" not in targets:
        problem("deploy/prometheus.yml", f"job temporal-server does not scrape PROMETHEUS_ENDPOINT {endpoint}")


def check_dynamic_config(root: Path) -> None:
    path = "deploy/temporal/dynamicconfig.yaml"
    config = YAML(typ="safe").load((root / path).read_text()) or {}
    for key, entries in config.items():
        if not isinstance(entries, list) or not all(isinstance(e, dict) and "value" in e for e in entries):
            problem(path, f"'{key}' must be a list of {{value, constraints}} entries")


def check_search_attributes(root: Path) -> None:
    source = (root / "src/workflows/definitions.ts").read_text()
    declared = {name: SDK_TYPE.get(kind, kind) for name, kind in re.findall(
        r"defineSearchAttributeKey\(\s*'(\w+)',\s*SearchAttributeType\.(\w+)\s*\)", source)}
    script = (root / "deploy/temporal/setup-namespace.sh").read_text()
    line = re.search(r'(?m)^SEARCH_ATTRIBUTES="([^"]*)"', script)
    registered = dict(e.split("=", 1) for e in line.group(1).split()) if line else {}
    if not declared:
        problem("src/workflows/definitions.ts", "no defineSearchAttributeKey(...) found")
    if declared != registered:
        problem("deploy/temporal/setup-namespace.sh",
                f"SEARCH_ATTRIBUTES {registered} differ from src/workflows/definitions.ts {declared}")
    for kind, limit in SQL_VISIBILITY_SLOTS.items():
        count = sum(1 for t in declared.values() if t == kind)
        if count > limit:
            problem("search attributes", f"{count} of type {kind}; PostgreSQL visibility has {limit} slots")


def check_cluster(root: Path, services: dict) -> None:
    """The stack outside Docker (scripts/cluster) must run what compose runs: the same server
    version, the same dynamic config file, the same search-attribute job and shard count."""
    install = (root / "scripts/cluster/install.sh").read_text()
    pinned = re.search(r'TEMPORAL_SERVER_VERSION:-v([0-9.]+)', install)
    built = pinned.group(1) if pinned else "?"
    for name in ("temporal", "temporal-schema", "temporal-setup"):
        image = services.get(name, {}).get("image", "")
        if image.rsplit(":", 1)[-1] != built:
            problem(name, f"image '{image}' differs from scripts/cluster/install.sh's server v{built}")
    cluster = (root / "deploy/temporal/cluster.yaml").read_text()
    if "deploy/temporal/dynamicconfig.yaml" not in cluster:
        problem("deploy/temporal/cluster.yaml", "must read deploy/temporal/dynamicconfig.yaml, as compose mounts it")
    shards = re.search(r'TEMPORAL_HISTORY_SHARDS" \| default "(\d+)"', cluster)
    env = services.get("temporal", {}).get("environment") or {}
    if not shards or str(env.get("NUM_HISTORY_SHARDS")) != shards.group(1):
        problem("deploy/temporal/cluster.yaml", f"history shards differ from compose's {env.get('NUM_HISTORY_SHARDS')}")
    server = (root / "scripts/cluster/server.sh").read_text()
    for script in ("setup-schema.sh", "setup-namespace.sh"):
        if f"deploy/temporal/{script}" not in server:
            problem("scripts/cluster/server.sh", f"must run deploy/temporal/{script}, as compose does")


def check_dockerfile(dockerfile: str) -> None:
    final = dockerfile_final_stage(dockerfile)
    users = re.findall(r"(?m)^USER\s+(\S+)", final)
    if not users or users[-1] in ("root", "0", "0:0"):
        problem("Dockerfile", "the final stage must switch to a non-root USER")
    if not re.search(r"(?m)^CMD\s+\[", final):
        problem("Dockerfile", "the final stage needs an exec-form CMD")
    if not re.search(r"(?m)^RUN\s+npm ci\b", dockerfile):
        problem("Dockerfile", "dependencies must be installed with `npm ci` (lockfile-exact)")


def check_dockerignore(root: Path) -> None:
    entries = {line.strip() for line in (root / ".dockerignore").read_text().splitlines()}
    # simulator/ and feedgen/ are test doubles: the worker image has no use for them.
    for needed in ("node_modules", ".git", ".env", ".data", ".tools", "simulator", "feedgen"):
        if needed not in entries:
            problem(".dockerignore", f"must exclude {needed}")


def check_env_example(root: Path) -> None:
    compose_text = (root / "docker-compose.yml").read_text()
    used = set(re.findall(r"(?<!\$)\$\{([A-Z0-9_]+)", compose_text))
    documented = set(re.findall(r"(?m)^([A-Z0-9_]+)=", (root / "deploy/.env.example").read_text()))
    for name in sorted(used - documented):
        problem("deploy/.env.example", f"does not document {name}, which docker-compose.yml reads")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--compose-json", type=Path, required=True)
    args = parser.parse_args()
    root: Path = args.root
    services = json.loads(args.compose_json.read_text())["services"]
    dockerfile = (root / "Dockerfile").read_text()

    for missing in sorted(REQUIRED_SERVICES - services.keys()):
        problem("docker-compose.yml", f"service '{missing}' is missing")
    check_images(services, dockerfile)
    check_dependencies(services, dockerfile)
    check_ports(services)
    check_worker(services)
    check_mounts(services, root)
    check_prometheus(root, services)
    check_dynamic_config(root)
    check_search_attributes(root)
    check_cluster(root, services)
    check_dockerfile(dockerfile)
    check_dockerignore(root)
    check_env_example(root)

    for p in problems:
        print(f"  - {p}")
    if problems:
        print(f"{len(problems)} rule(s) broken")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
