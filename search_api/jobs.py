"""Background jobs started by the writing endpoints: a `thidua crawl` process per request."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Job:
    """One background process with its log file."""

    id: str
    command: list[str]
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def state(self) -> str:
        code = self.process.poll()
        return "running" if code is None else ("done" if code == 0 else "failed")


class Jobs:
    """The jobs this server started, by id; processes are reaped when the server stops."""

    def __init__(self, jobs_dir: Path) -> None:
        self.jobs_dir = jobs_dir
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start_crawl(self, data_dir: Path, site: str, max_pages: int | None) -> Job:
        """Run `thidua crawl --site SITE` (then extract and index) in the background."""
        job_id = uuid.uuid4().hex[:12]
        self.jobs_dir.mkdir(parents=True, exist_ok=True)
        log = self.jobs_dir / f"crawl-{job_id}.log"
        command = [sys.executable, "-m", "thidua", "crawl", "--site", site, "--data-dir", str(data_dir)]
        if max_pages:
            command += ["--max-pages", str(max_pages)]
        with log.open("wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        job = Job(job_id, command, log, process)
        with self._lock:
            self._jobs[job_id] = job
        return job

    def get(self, job_id: str) -> Job | None:
        """A job by id, or None."""
        with self._lock:
            return self._jobs.get(job_id)

    def stop_all(self) -> None:
        """Terminate running jobs (the server is stopping)."""
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            if job.process.poll() is None:
                job.process.terminate()
                job.process.wait(timeout=20)
