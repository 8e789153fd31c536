"""deploy/: the compose file, the Containerfile and the systemd units are well formed and run real commands."""

from __future__ import annotations

import configparser
import ipaddress
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from givefirst.cli.hub_cmds import hub_app

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
ROOT = DEPLOY.parent


def _command(name: str):  # type: ignore[no-untyped-def]
    import typer.main

    commands = typer.main.get_command(hub_app).commands  # type: ignore[attr-defined]
    assert name in commands, f"there is no `givefirst hub {name}`"
    return commands[name]


def _serve_envvars() -> set[str]:
    return {param.envvar for param in _command("serve").params if isinstance(param.envvar, str)}


def _check_hub_args(args: list[str]) -> None:
    """`givefirst hub ARGS…` names a real command, and every option it passes is one of that command's."""
    known = {opt for param in _command(args[0]).params for opt in (*param.opts, *param.secondary_opts)}
    for arg in args[1:]:
        if arg.startswith("--"):
            assert arg in known, f"`hub {args[0]}` has no option {arg}"


def _check_serve_args(args: list[str]) -> None:
    assert args[0] == "serve"
    _check_hub_args(args)


def test_compose_runs_the_hub_its_worker_and_postgresql() -> None:
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "hub", "worker"}
    assert services["db"]["image"].startswith("postgres:")
    for name in ("hub", "worker"):  # both from the image built of this repository, on the same database
        service = services[name]
        assert service["build"] == {"context": "..", "dockerfile": "deploy/Containerfile"}
        assert service["environment"]["GIVEFIRST_HUB_DATABASE_URL"].startswith("postgresql://hub:")
        assert service["environment"]["GIVEFIRST_HUB_DATABASE_URL"].endswith("@db:5432/hub")
    _check_serve_args([str(a) for a in services["hub"]["command"]])
    assert services["worker"]["command"] == ["worker"]
    _check_hub_args(services["worker"]["command"])
    header = (DEPLOY / "compose.yaml").read_text().split("\nname:")[0]  # the commands the comments tell you to run
    assert "run --rm worker init " in header
    init = re.search(r"worker init (.*?[^\\])\n", header, re.S)  # to the first line without a continuation
    assert init is not None
    _check_hub_args(["init", *re.findall(r"--[a-z-]+", init[1])])
    assert services["hub"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["worker"]["depends_on"]["hub"]["condition"] == "service_healthy"  # after the migrations
    assert (ROOT / services["hub"]["build"]["dockerfile"]).exists()
    # The hub believes forwarded headers from the network's gateway (a proxy on the host), by default only that.
    allowed = services["hub"]["environment"]["GIVEFIRST_HUB_FORWARDED_ALLOW_IPS"]
    gateway = compose["networks"]["default"]["ipam"]["config"][0]["gateway"]
    assert allowed == "${GIVEFIRST_HUB_PROXY_IPS:-" + gateway + "}"
    subnet = ipaddress.ip_network(compose["networks"]["default"]["ipam"]["config"][0]["subnet"])
    assert ipaddress.ip_address(gateway) in subnet
    assert "GIVEFIRST_HUB_FORWARDED_ALLOW_IPS" in _serve_envvars()  # the variable `hub serve` reads


def test_containerfile_installs_the_package_and_serves_the_hub() -> None:
    lines = (DEPLOY / "Containerfile").read_text().splitlines()  # instructions start a line; continuations are indented
    instructions = [line.split()[0] for line in lines if line and not line.startswith("#") and line[0].isupper()]
    assert instructions[0] == "FROM" and "USER" in instructions
    copied = [line.split()[1:-1] for line in lines if line.startswith("COPY")]
    for sources in copied:
        for source in sources:
            assert (ROOT / source).exists(), source
    entry = next(line for line in lines if line.startswith("ENTRYPOINT"))
    cmd = next(line for line in lines if line.startswith("CMD"))  # not the HEALTHCHECK's indented CMD
    import json

    assert json.loads(entry.removeprefix("ENTRYPOINT")) == ["givefirst", "hub"]
    _check_serve_args(json.loads(cmd.removeprefix("CMD")))
    ignored = (DEPLOY / "Containerfile.dockerignore").read_text()
    assert "!src/" in ignored and ignored.lstrip().splitlines()[1] == "*"


@pytest.mark.parametrize("unit", ["givefirst-hub.service", "givefirst-hub-worker.service"])
def test_systemd_units_parse_and_run_a_hub_command(unit: str) -> None:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / unit).read_text())
    assert set(parser.sections()) == {"Unit", "Service", "Install"}
    service = parser["Service"]
    assert service["User"] == "givefirst" and service["EnvironmentFile"] == "/etc/givefirst/hub.env"
    argv = shlex.split(service["ExecStart"])
    assert argv[0].startswith("/") and argv[0].endswith("/givefirst") and argv[1] == "hub"
    if argv[2] == "serve":
        _check_serve_args(argv[2:])
    else:
        assert argv[2:] == ["worker"]
        _check_hub_args(argv[2:])
    assert parser["Install"]["WantedBy"] == "multi-user.target"


def _docker_works() -> bool:
    docker = shutil.which("docker")
    return docker is not None and subprocess.run([docker, "info"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _docker_works(), reason="no docker daemon here: the image is not built")
def test_the_image_builds_and_answers_help() -> None:
    tag = "givefirst-hub-test"
    build = subprocess.run(
        ["docker", "build", "-q", "-f", str(DEPLOY / "Containerfile"), "-t", tag, str(ROOT)],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    run = subprocess.run(["docker", "run", "--rm", tag, "--help"], capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "serve" in run.stdout
