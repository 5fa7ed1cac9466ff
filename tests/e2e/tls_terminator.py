"""A TLS terminator on loopback for the e2e tests: nginx (already installed by scripts/bootstrap)
in front of a plain-HTTP server such as moto_server, with certificates from a throwaway CA made
by the openssl CLI. Each `server` is one listening port with one certificate, so a test can
offer a certificate that names the host it is reached by, and one that does not."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import harness


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


class CertificateAuthority:
    """A self-signed CA (ca.pem) that signs server certificates for given DNS names."""

    def __init__(self, directory: Path):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "2", "-subj", "/CN=sre-playground test CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=directory)
        self.bundle = directory / "ca.pem"

    def issue(self, name: str) -> tuple[Path, Path]:
        """(certificate, key) for the DNS name `name`, signed by this CA."""
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key",
                "-out", f"{name}.csr", "-subj", f"/CN={name}", cwd=self.directory)
        (self.directory / f"{name}.ext").write_text(
            f"subjectAltName=DNS:{name}\nextendedKeyUsage=serverAuth\n")
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", f"{name}.pem", "-days", "2",
                "-extfile", f"{name}.ext", cwd=self.directory)
        return self.directory / f"{name}.pem", self.directory / f"{name}.key"


@dataclass
class TlsServer:
    port: int
    certificate: Path
    key: Path


class TlsTerminator:
    """nginx: each server's port speaks TLS with its certificate and passes the requests on,
    Host header unchanged, to http://127.0.0.1:<upstream_port>."""

    def __init__(self, workdir: Path, upstream_port: int, servers: list[TlsServer]):
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "tmp").mkdir(exist_ok=True)
        blocks = "".join(f"""
    server {{
        listen {harness.LOOPBACK}:{s.port} ssl;
        ssl_certificate {s.certificate};
        ssl_certificate_key {s.key};
        location / {{
            proxy_pass http://{harness.LOOPBACK}:{upstream_port};
            proxy_set_header Host $http_host;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}""" for s in servers)
        config = workdir / "nginx.conf"
        config.write_text(f"""daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/tmp/client_body;
    proxy_temp_path {workdir}/tmp/proxy;
    fastcgi_temp_path {workdir}/tmp/fastcgi;
    uwsgi_temp_path {workdir}/tmp/uwsgi;
    scgi_temp_path {workdir}/tmp/scgi;
    client_max_body_size 8m;{blocks}
}}
""")
        self.servers = servers
        self.process = harness.ManagedProcess(
            ["nginx", "-p", str(workdir), "-c", str(config), "-e", "stderr"],
            workdir / "nginx.log")

    def start(self) -> "TlsTerminator":
        self.process.start()
        for server in self.servers:
            self.process.wait_for_port(harness.LOOPBACK, server.port, timeout=20)
        return self

    def stop(self) -> None:
        self.process.stop(timeout=5)
