"""Citizen site speed: search over the 2,642 national procedures, pages under gunicorn.

1. Loads the sample catalogue and the national file (through the real importer, as
   `motcua import-national --publish` does) into a fresh SQLite file.
2. Search latency in process (the full GET /procedures/?q=… page, and the search service
   alone): p50 and p95 over accent-free queries, filters and deep pages. Goal: p95 < 30 ms.
3. gunicorn with 2 sync workers on loopback, driven by `wrk` (installed from Debian if
   missing; a small multi-process Python loader otherwise) for a bounded time: requests/s of
   the procedure page and the application form page beside a static file served by the same
   gunicorn (the ceiling). Goal: pages ≥ 1/3 of static; no errors.

Run: .venv/bin/python bench/portal.py [--seconds 5] [--connections 8]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NATIONAL = ROOT / "catalog" / "national" / "data" / "national-catalogue-2026.jsonl.gz"
QUERIES = [
    "", "dang ky khai sinh", "khai sinh", "giay phep", "cap giay phep xay dung", "thue",
    "bao hiem xa hoi", "ho tich", "chung thuc", "dat dai", "1.00", "cap lai", "dang ky",
    "quoc tich", "ly lich tu phap", "xuat nhap canh", "ngan hang", "khong co thu tuc nao",
]
FILTERED = ["level=province", "level=commune&q=dang ky", "online=3", "q=cap&page=5",
            "q=dang ky&page=12", "page=100"]


def environment(folder: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{folder / 'portal.db'}",
        "MOTCUA_INSTANCE_DIR": str(folder),
        "MOTCUA_DATA_DIR": str(folder / "data"),
        "SECRET_KEY": "bench-secret",
        "MOTCUA_SECURE_COOKIES": "0",
    }


def load_catalogue(folder: Path) -> int:
    """Samples through the catalogue service, then the national file through the importer."""
    os.environ.update(environment(folder))
    from admin.app import create_app
    from admin.setup import init_database
    from catalog.db import db
    from catalog.models import Procedure
    from catalog.national.importer import import_national
    from catalog.samples import sample_paths
    from catalog.services import import_document
    from form_schemas.loading import read_document

    app = create_app()
    with app.app_context():
        init_database()
        for path in sample_paths():
            import_document(db.session, read_document(path), author="bench", publish=True)
        import_national(db.session, NATIONAL, publish=True)
        db.session.commit()
        total = db.session.scalar(db.select(db.func.count(Procedure.id)))
        db.session.remove()
        db.engine.dispose()
    return int(total or 0)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def search_latency(folder: Path, rounds: int) -> dict[str, tuple[float, float]]:
    """p50/p95 ms of the search page (in process) and of the search service alone."""
    from admin.app import create_app
    from catalog.db import db
    from catalog.services.search import search_procedures

    app = create_app()
    urls = [f"/procedures/?q={q}" for q in QUERIES] + [f"/procedures/?{f}" for f in FILTERED]
    page_ms: list[float] = []
    service_ms: list[float] = []
    with app.app_context():
        client = app.test_client()
        for url in urls:  # warm caches, check every page answers
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        for _ in range(rounds):
            for url in urls:
                start = time.perf_counter()
                response = client.get(url)
                page_ms.append((time.perf_counter() - start) * 1000)
            for q in QUERIES:
                start = time.perf_counter()
                search_procedures(db.session, q)
                service_ms.append((time.perf_counter() - start) * 1000)
                db.session.rollback()
        found = search_procedures(db.session, "dang ky khai sinh").total
        everything = search_procedures(db.session, "").total
        db.session.remove()
    print(f"  'dang ky khai sinh' finds {found} of {everything} procedures")
    return {"search page": percentiles(page_ms), "search service": percentiles(service_ms)}


# --- load on loopback --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("  installing Debian's wrk …")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    return shutil.which("wrk")


_UNITS = {"": 1.0, "k": 1e3, "K": 1e3, "M": 1e6}


def run_wrk(wrk: str, url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", url],
        capture_output=True, text=True, timeout=seconds + 30, check=True,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)([kKM]?)", out)
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    if not rate or not total:
        raise RuntimeError(f"could not read wrk output:\n{out}")
    return {"rps": float(rate.group(1)) * _UNITS[rate.group(2)],
            "requests": float(total.group(1)), "errors": float(errors)}


def _python_worker(args: tuple[str, float]) -> tuple[int, int]:
    import http.client
    from urllib.parse import urlsplit

    url, until = args
    parts = urlsplit(url)
    done = errors = 0
    while time.monotonic() < until:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        try:
            connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
            response = connection.getresponse()
            response.read()
            done += 1
            errors += response.status >= 400
        except OSError:
            errors += 1
        finally:
            connection.close()
    return done, errors


def run_python_loader(url: str, seconds: int, connections: int) -> dict[str, float]:
    """Fallback loader: `connections` processes making requests back to back."""
    from multiprocessing import Pool

    start = time.monotonic()
    until = start + seconds
    with Pool(connections) as pool:
        results = pool.map(_python_worker, [(url, until)] * connections)
    elapsed = time.monotonic() - start
    done = sum(r[0] for r in results)
    return {"rps": done / elapsed, "requests": float(done), "errors": float(sum(r[1] for r in results))}


def serve(folder: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, **environment(folder), "PYTHONPATH": str(ROOT)}
    (folder / "data").mkdir(parents=True, exist_ok=True)  # /healthz checks it can write there
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "admin.wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except urllib.error.HTTPError as answered:  # up, but a part is unhealthy: say which
            print(f"  /healthz answered {answered.code}: {answered.read().decode()[:300]}")
            return process
        except OSError as failed:
            if process.poll() is not None:
                message = process.stderr.read().decode() if process.stderr else "gunicorn died"
                raise SystemExit(message) from failed
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start in 60 s")


def load_test(folder: Path, seconds: int, connections: int) -> dict[str, dict[str, float]]:
    port = free_port()
    process = serve(folder, port)
    base = f"http://127.0.0.1:{port}"
    targets = {
        "static file (site.css)": f"{base}/site-static/site.css",
        "procedure page": f"{base}/procedures/1.001193",
        "application form": f"{base}/procedures/1.001193/apply",
        "search page": f"{base}/procedures/?q=dang%20ky",
    }
    wrk = ensure_wrk()
    tool = "wrk" if wrk else "python loader"
    print(f"  load tool: {tool}, {connections} connections, {seconds} s per URL, gunicorn -w 2")
    drive: Callable[[str], dict[str, float]] = (
        (lambda url: run_wrk(wrk, url, seconds, connections)) if wrk
        else (lambda url: run_python_loader(url, seconds, connections))
    )
    results: dict[str, dict[str, float]] = {}
    try:
        for name, url in targets.items():
            with urllib.request.urlopen(url, timeout=10) as response:  # warm both workers
                response.read()
            if wrk:
                run_wrk(wrk, url, 1, connections)
            results[name] = drive(url)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="motcua-portal-bench-"))
    try:
        start = time.perf_counter()
        total = load_catalogue(folder)
        print(f"catalogue: {total} published procedures loaded in "
              f"{time.perf_counter() - start:.1f} s")
        print("search latency (in process, ms):")
        latency = search_latency(folder, args.rounds)
        for name, (p50, p95) in latency.items():
            print(f"  {name:16s} p50 {p50:6.2f}  p95 {p95:6.2f}")
        goal = latency["search page"][1] < 30
        print(f"  goal search page p95 < 30 ms: {'met' if goal else 'MISSED'}")
        print("throughput under gunicorn (requests/s):")
        loads = load_test(folder, args.seconds, args.connections)
        ceiling = loads["static file (site.css)"]["rps"]
        errors = 0
        for name, result in loads.items():
            errors += int(result["errors"])
            print(f"  {name:24s} {result['rps']:8.0f} req/s  ({result['rps'] / ceiling:5.2f} × static)"
                  f"  {int(result['requests'])} requests, {int(result['errors'])} errors")
        pages_ok = all(loads[n]["rps"] >= ceiling / 3 for n in ("procedure page", "application form"))
        print(f"  goal pages ≥ 1/3 of static: {'met' if pages_ok else 'MISSED'}; "
              f"errors: {errors}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
