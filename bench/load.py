"""Mixed citizen traffic under `motcua serve --prod` (2 gunicorn workers) on loopback.

For each database (SQLite in a temporary folder; PostgreSQL in a schema of its own when
reachable, or at `--database-url`):

1. Loads the sample catalogue through the real importer (with `--national`, also the 2,642
   national records, about two minutes) and bulk-inserts `--dossiers` stored dossiers (default
   100,000), so lists and lookups work against a realistic table.
2. Starts `motcua serve --prod` as a child of this script (temporary data folder, plain-HTTP
   cookies) and waits for /healthz.
3. Each route alone, for a few seconds: requests/s beside a static file served by the same
   gunicorn (the ceiling), p95 and errors, with a multi-process Python loader (http.client),
   and Debian's `wrk` too when it is installed (a second requests/s column).
4. `--duration` seconds of mixed traffic: each client process plays citizens who search, open
   a procedure page and the static style sheet, open the form (CSRF token and session cookie),
   post it with a 200 KB PDF, follow the 303 to their dossier page and fetch the (cached)
   notice PDF. Requests/s, p50, p95 and errors per route.
5. RSS of the gunicorn workers (from /proc) before and after the traffic.

Goals (from issue 13): 0 errors; every page route alone ≥ 1/3 of the static file; submissions
p95 < 500 ms; worker memory growth < 10 %. The figures depend on the machine: the load
generator shares the CPUs with the server, so read ratios, not absolutes.

Run: .venv/bin/python bench/load.py [--duration 60] [--dossiers 100000] [--clients 8]
                                    [--backend sqlite|postgresql|both] [--database-url URL]
                                    [--national]
Short run: .venv/bin/python bench/load.py --duration 5 --dossiers 1000
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROCEDURE = "1.001193"  # birth registration: online level 4, a required upload
PDF_BYTES = 200 * 1024
NATIONAL = ROOT / "catalog" / "national" / "data" / "national-catalogue-2026.jsonl.gz"
PG_URL = os.environ.get("MOTCUA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SEARCHES = ["dang ky khai sinh", "khai sinh", "ket hon", "giay phep", "ho tich", "chung thuc", ""]
MIXED_ORDER = ["search", "procedure page", "static file", "apply form", "apply POST (200 KB)",
               "dossier page", "notice PDF (cached)"]


def pdf(size: int = PDF_BYTES) -> bytes:
    """A valid-looking PDF of about `size` bytes (a comment pads it)."""
    head, tail = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%", b"\ntrailer << >>\n%%EOF\n"
    return head + b"x" * max(0, size - len(head) - len(tail)) + tail


# --- the catalogue and the stored dossiers ----------------------------------------------------


def environment(folder: Path, url: str) -> dict[str, str]:
    return {"DATABASE_URL": url, "MOTCUA_INSTANCE_DIR": str(folder),
            "MOTCUA_DATA_DIR": str(folder / "data"), "SECRET_KEY": "bench-secret-" + "x" * 24,
            "MOTCUA_SECURE_COOKIES": "0", "MOTCUA_PUBLIC_URL": "http://127.0.0.1"}


def prepare(folder: Path, url: str, dossiers: int, national: bool = False) -> tuple[int, float]:
    """Migrate, import the samples (published) and bulk-insert `dossiers`; returns the count
    of published procedures and the seconds the insert took."""
    os.environ.update(environment(folder, url))
    from sqlalchemy import func, insert, select

    from admin.app import create_app
    from admin.setup import init_database
    from catalog.db import db
    from catalog.models import Dossier, DossierSequence, Procedure
    from catalog.samples import sample_paths
    from catalog.services import import_document
    from form_schemas.loading import read_document

    app = create_app()
    with app.app_context():
        init_database()
        for path in sample_paths():
            import_document(db.session, read_document(path), author="bench", publish=True)
        if national:
            from catalog.national.importer import import_national

            import_national(db.session, NATIONAL, publish=True)
            db.session.commit()
        published = [p for p in db.session.scalars(select(Procedure)) if p.published_version]
        start = time.perf_counter()
        year = time.gmtime().tm_year
        last: dict[str, int] = {}
        rng = random.Random(13)
        chunk: list[dict[str, Any]] = []
        for n in range(dossiers):
            procedure = published[n % len(published)]
            number = last[procedure.code] = last.get(procedure.code, 0) + 1
            phone = f"09{rng.randrange(10**8):08d}"
            chunk.append({
                "code": f"{year}-{procedure.code}-{number:06d}", "procedure_id": procedure.id,
                "version_id": procedure.published_version.id, "channel": "online",
                "data": {"applicant": {"full_name": f"Công dân {n}", "phone": phone}},
                "applicant_name": f"Công dân {n}", "applicant_name_folded": f"cong dan {n}",
                "applicant_phone": phone, "status": "received",
                "fee_due": 0, "result_by_post": False,
            })
            if len(chunk) == 5000:
                db.session.execute(insert(Dossier), chunk)
                chunk = []
        if chunk:
            db.session.execute(insert(Dossier), chunk)
        for code, number in last.items():  # new submissions continue after the stored ones
            db.session.merge(DossierSequence(year=year, procedure_code=code, last=number))
        db.session.commit()
        seconds = time.perf_counter() - start
        count = db.session.scalar(select(func.count(Dossier.id)))
        assert count == dossiers, (count, dossiers)
        db.session.remove()
        db.engine.dispose()
    return len(published), seconds


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str | None]:
    """A fresh schema in `base_url`'s database (dropped afterwards); None if unreachable."""
    from sqlalchemy import create_engine, text

    engine = create_engine(base_url)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    try:
        with engine.begin() as conn:
            conn.execute(text(f'create schema "{schema}"'))
    except Exception as exc:  # not reachable: the PostgreSQL run is skipped, and said so
        print(f"PostgreSQL not reachable at {base_url}: {type(exc).__name__}; skipped")
        engine.dispose()
        yield None
        return
    sep = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'drop schema "{schema}" cascade'))
        engine.dispose()


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(folder: Path, url: str, port: int) -> subprocess.Popen[bytes]:
    """`motcua serve --prod` in its own process group (stopped by `stop`)."""
    env = {**os.environ, **environment(folder, url), "PYTHONPATH": str(ROOT)}
    motcua = Path(sys.executable).with_name("motcua")
    log = (folder / "server.log").open("wb")  # a file, not a pipe nobody reads while loading
    process = subprocess.Popen([str(motcua), "serve", "--prod", "--port", str(port)], cwd=folder,
                               env=env, stdout=subprocess.DEVNULL, stderr=log,
                               start_new_session=True)
    log.close()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                if len(workers(process.pid)) >= 2:
                    return process
        except OSError:
            pass
        if process.poll() is not None:
            message = (folder / "server.log").read_text(errors="replace")[-3000:]
            raise SystemExit(f"motcua serve --prod stopped:\n{message}")
        time.sleep(0.3)
    stop(process)
    raise SystemExit("motcua serve --prod did not answer in 90 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group (motcua, gunicorn and its workers)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def workers(root: int) -> list[int]:
    """The gunicorn workers under `root`: gunicorn processes whose parent is gunicorn."""
    tree = _children()
    found: list[int] = []

    def cmdline(pid: int) -> str:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            return ""

    def walk(pid: int, parent_is_gunicorn: bool) -> None:
        is_gunicorn = "gunicorn" in cmdline(pid)
        if is_gunicorn and parent_is_gunicorn:
            found.append(pid)
        for child in tree.get(pid, []):
            walk(child, is_gunicorn)

    walk(root, False)
    return sorted(found)


def rss_mb(pids: list[int]) -> list[float]:
    sizes = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        sizes.append(int(found.group(1)) / 1024 if found else 0.0)
    return sizes


# --- a citizen over http.client ----------------------------------------------------------------


class Citizen:
    """One browser: a cookie jar and requests on fresh connections (gunicorn sync workers close
    every connection)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            sent = dict(headers or {})
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    self.cookies[name] = morsel.value
            return response.status, data, {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()

    def submit(self, form_html: str) -> tuple[int, str]:
        """POST the application form with a 200 KB PDF; returns (status, Location)."""
        fields, files = fill_form(form_html)
        # "Nộp hồ sơ" (the check page's button): one post makes the dossier, as before the check step
        fields = [(name, value) for name, value in fields if name != "_motcua.step"] + [("_motcua.step", "submit")]
        boundary = "----motcua" + secrets.token_hex(8)
        parts: list[bytes] = []
        for name, value in fields:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                         .encode() + value.encode() + b"\r\n")
        for name in files:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="giay-chung-sinh.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
                         .encode() + pdf() + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        status, _, headers = self.request(
            "POST", f"/procedures/{PROCEDURE}/apply", body,
            {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return status, headers.get("location", "")


def _attributes(tag: str) -> dict[str, str]:
    return {m.group(1): m.group(3) if m.group(3) is not None else ""
            for m in re.finditer(r'([\w.:-]+)(="([^"]*)")?', tag[1:])}


def fill_form(html: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Plausible values for every field of the generated form (hidden fields kept, the first
    choice of selects and radios, dates in the past) and the names of required files."""
    import html as html_module

    fields: list[tuple[str, str]] = []
    files: list[str] = []
    radios: set[str] = set()
    for match in re.finditer(r"<input\b[^>]*>", html):
        attrs = _attributes(match.group(0))
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if not name:
            continue
        value = html_module.unescape(attrs.get("value", ""))
        if kind == "hidden":
            fields.append((name, value))
        elif kind == "file":
            if "required" in attrs:
                files.append(name)
        elif kind == "radio":
            if name not in radios:
                radios.add(name)
                fields.append((name, value))
        elif kind == "checkbox":
            fields.append((name, value or "true"))
        elif kind == "date":
            fields.append((name, "2026-01-15" if name.startswith("child") else "1990-05-01"))
        elif kind == "number":
            fields.append((name, value or attrs.get("min", "1")))
        elif kind == "tel" or "phone" in name:
            fields.append((name, "0912345678"))
        elif kind == "email":
            fields.append((name, "an@example.vn"))
        elif "citizen_id" in name:
            fields.append((name, "001090012345"))
        elif kind == "text":
            fields.append((name, value or "Nguyễn Văn An"))
    for match in re.finditer(r"<select\b([^>]*)>(.*?)</select>", html, re.S):
        name = _attributes("<" + match.group(1)).get("name")
        options = [v for v in re.findall(r'<option\b[^>]*value="([^"]*)"', match.group(2)) if v]
        if name and options:
            fields.append((name, html_module.unescape(options[0])))
    return fields, files


# --- load --------------------------------------------------------------------------------------


def _timed(citizen: Citizen, samples: dict[str, list[float]], errors: dict[str, int], route: str,
           expected: int, method: str, path: str, body: bytes | None = None,
           headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    start = time.perf_counter()
    try:
        status, data, got = citizen.request(method, path, body, headers)
    except OSError:
        status, data, got = 0, b"", {}
    samples.setdefault(route, []).append(time.perf_counter() - start)
    if status != expected:
        errors[route] = errors.get(route, 0) + 1
    return status, data, got


def _mixed_client(args: tuple[int, float, int]) -> tuple[dict[str, list[float]], dict[str, int], list[str]]:
    """One client process: citizens visiting one after another until `until`."""
    port, until, seed = args
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    notes: list[str] = []
    while time.monotonic() < until:
        citizen = Citizen(port)
        query = rng.choice(SEARCHES).replace(" ", "+")
        _timed(citizen, samples, errors, "search", 200, "GET", f"/procedures/?q={query}")
        _timed(citizen, samples, errors, "procedure page", 200, "GET", f"/procedures/{PROCEDURE}")
        _timed(citizen, samples, errors, "static file", 200, "GET", "/site-static/site.css")
        status, page, _ = _timed(citizen, samples, errors, "apply form", 200, "GET",
                                 f"/procedures/{PROCEDURE}/apply")
        if status == 200:
            start = time.perf_counter()
            try:
                posted, location = citizen.submit(page.decode())
            except OSError:
                posted, location = 0, ""
            samples.setdefault("apply POST (200 KB)", []).append(time.perf_counter() - start)
            if posted != 303:
                errors["apply POST (200 KB)"] = errors.get("apply POST (200 KB)", 0) + 1
                if len(notes) < 3:
                    notes.append(f"apply POST answered {posted}")
            elif location:
                path = "/" + location.split("://", 1)[-1].split("/", 1)[1] if "://" in location else location
                _timed(citizen, samples, errors, "dossier page", 200, "GET", path)
        _timed(citizen, samples, errors, "notice PDF (cached)", 200, "GET",
               f"/procedures/{PROCEDURE}/notice.pdf")
    return samples, errors, notes


def _alone_client(args: tuple[int, float, str, dict[str, str]]) -> tuple[list[float], int]:
    port, until, path, cookies = args
    citizen = Citizen(port)
    citizen.cookies = dict(cookies)
    samples: list[float] = []
    errors = 0
    while time.monotonic() < until:
        start = time.perf_counter()
        try:
            status, _, _ = citizen.request("GET", path)
        except OSError:
            status = 0
        samples.append(time.perf_counter() - start)
        errors += status != 200
        citizen.cookies = dict(cookies)  # a cookie the answer set is not kept between requests
    return samples, errors


def server_errors(folder: Path) -> list[tuple[str, int]]:
    """The exceptions the server logged (last line of each traceback), most frequent first."""
    counts: dict[str, int] = {}
    lines = (folder / "server.log").read_text(errors="replace").splitlines()
    for index, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = index + 1
            while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
                end += 1
            if end < len(lines):
                cause = lines[end][:160]
                counts[cause] = counts.get(cause, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


def p(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def run_wrk(port: int, path: str, seconds: int, clients: int, cookie: str) -> float | None:
    wrk = shutil.which("wrk")
    if not wrk:
        return None
    command = [wrk, "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True,
                         text=True, timeout=seconds + 30).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(rate.group(1)) if rate else None


def bench(label: str, folder: Path, url: str, args: argparse.Namespace) -> dict[str, Any]:
    from multiprocessing import Pool

    procedures, insert_s = prepare(folder, url, args.dossiers, args.national)
    print(f"\n== {label}: {procedures} published procedures, {args.dossiers:,} stored dossiers "
          f"(bulk insert {insert_s:.1f} s)")
    port = free_port()
    process = serve(folder, url, port)
    try:
        pids = workers(process.pid)
        # A citizen who applied, so the dossier page has a visitor allowed to see it.
        first = Citizen(port)
        status, page, _ = first.request("GET", f"/procedures/{PROCEDURE}/apply")
        posted, location = first.submit(page.decode())
        if status != 200 or posted != 303:
            raise SystemExit(f"warm-up application failed: form {status}, post {posted}")
        dossier_path = "/" + location.split("://", 1)[-1].split("/", 1)[1] if "://" in location else location
        cookie = "; ".join(f"{k}={v}" for k, v in first.cookies.items())
        alone_routes = {
            "static file": ("/site-static/site.css", {}),
            "search": ("/procedures/?q=dang+ky", {}),
            "procedure page": (f"/procedures/{PROCEDURE}", {}),
            "apply form": (f"/procedures/{PROCEDURE}/apply", {}),
            "dossier page": (dossier_path, dict(first.cookies)),
            "notice PDF (cached)": (f"/procedures/{PROCEDURE}/notice.pdf", {}),
        }
        for path, cookies in alone_routes.values():  # warm both workers (and the PDF cache)
            for _ in range(4):
                Citizen(port).request("GET", path, headers={"Cookie": cookie} if cookies else None)
        before = rss_mb(pids)
        alone_seconds = max(2, args.duration // 12)
        alone: dict[str, dict[str, float]] = {}
        with Pool(args.clients) as pool:
            for route, (path, cookies) in alone_routes.items():
                until = time.monotonic() + alone_seconds
                start = time.monotonic()
                results = pool.map(_alone_client, [(port, until, path, cookies)] * args.clients)
                elapsed = time.monotonic() - start
                samples = [s for r in results for s in r[0]]
                alone[route] = {"rps": len(samples) / elapsed, "p95": p(samples, 0.95),
                                "errors": float(sum(r[1] for r in results))}
                wrk_rps = run_wrk(port, path, max(2, alone_seconds // 2), args.clients,
                                  cookie if cookies else "")
                if wrk_rps is not None:
                    alone[route]["wrk"] = wrk_rps
            start = time.monotonic()
            until = start + args.duration
            mixed_results = pool.map(_mixed_client, [(port, until, seed) for seed in range(args.clients)])
            elapsed = time.monotonic() - start
        after = rss_mb(workers(process.pid))
    finally:
        stop(process)
    mixed: dict[str, list[float]] = {}
    mixed_errors: dict[str, int] = {}
    notes: list[str] = []
    for samples, errors, found in mixed_results:
        for route, values in samples.items():
            mixed.setdefault(route, []).extend(values)
        for route, count in errors.items():
            mixed_errors[route] = mixed_errors.get(route, 0) + count
        notes.extend(found)
    ceiling = alone["static file"]["rps"]
    has_wrk = any("wrk" in row for row in alone.values())
    print(f"motcua serve --prod (2 gunicorn workers), {args.clients} client processes on loopback; "
          f"each route alone {alone_seconds} s, then {args.duration} s mixed")
    print(f"{'route':22s} {'alone req/s':>11s} {'× static':>8s} {'p95 ms':>7s}"
          + (f" {'wrk req/s':>9s}" if has_wrk else "")
          + f" | {'mixed req/s':>11s} {'p50 ms':>7s} {'p95 ms':>7s} {'errors':>6s}")
    for route in MIXED_ORDER:
        row = alone.get(route)
        left = (f"{row['rps']:11.0f} {row['rps'] / ceiling:8.2f} {row['p95']:7.1f}"
                + (f" {row.get('wrk', float('nan')):9.0f}" if has_wrk else "")) if row else \
            f"{'—':>11s} {'':8s} {'':7s}" + (f" {'':9s}" if has_wrk else "")
        values = mixed.get(route, [])
        errors = mixed_errors.get(route, 0) + int(row["errors"] if row else 0)
        print(f"{route:22s} {left} | {len(values) / elapsed:11.1f} {p(values, 0.5):7.1f} "
              f"{p(values, 0.95):7.1f} {errors:6d}")
    growth = (sum(after) - sum(before)) / sum(before) * 100 if before and sum(before) else float("nan")
    print(f"worker RSS MB: before {', '.join(f'{m:.0f}' for m in before)}; "
          f"after {', '.join(f'{m:.0f}' for m in after)} (growth {growth:+.1f} %)")
    total_errors = sum(mixed_errors.values()) + int(sum(r["errors"] for r in alone.values()))
    pages = [r for r in alone if r != "static file"]
    slow_pages = [r for r in pages if alone[r]["rps"] < ceiling / 3]
    submit_p95 = p(mixed.get("apply POST (200 KB)", []), 0.95)
    print("goals: errors 0 → " + ("met" if total_errors == 0 else f"MISSED ({total_errors})")
          + "; pages ≥ 1/3 static → " + ("met" if not slow_pages else f"MISSED ({', '.join(slow_pages)})")
          + f"; submissions p95 < 500 ms → {'met' if submit_p95 < 500 else 'MISSED'} ({submit_p95:.0f} ms)"
          + f"; RSS growth < 10 % → {'met' if growth < 10 else 'MISSED'}")
    for note in sorted(set(notes))[:3]:
        print(f"  note: {note}")
    if total_errors:
        causes = server_errors(folder)
        for cause, count in causes[:5]:
            print(f"  server log: {count} × {cause}")
    return {"errors": total_errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of mixed traffic (60)")
    parser.add_argument("--dossiers", type=int, default=100_000, help="stored dossiers (100000)")
    parser.add_argument("--clients", type=int, default=8, help="client processes (8)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--database-url", default=PG_URL,
                        help="PostgreSQL database for the second run (a schema of its own is used)")
    parser.add_argument("--national", action="store_true",
                        help="also import the national catalogue (2,642 procedures)")
    args = parser.parse_args()
    print(f"bench/load.py on {os.cpu_count()} CPUs (shared with the load generator)")
    if args.backend in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="motcua-load-"))
        try:
            bench("SQLite", folder, f"sqlite:///{folder / 'motcua.db'}", args)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if args.backend in ("postgresql", "both"):
        with postgres_schema(args.database_url) as url:
            if url is not None:
                folder = Path(tempfile.mkdtemp(prefix="motcua-load-pg-"))
                try:
                    bench("PostgreSQL", folder, url, args)
                finally:
                    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
