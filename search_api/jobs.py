"""Background jobs started by the writing endpoints: a `thidua crawl` process per request, a few at a
time, each reaped by a waiting thread as soon as it ends (no zombie until someone polls)."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path


class TooManyJobs(RuntimeError):
    """As many jobs as allowed are running; the message says how many."""


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
    """The jobs this server started, by id; at most `max_running` run at once; processes are stopped
    when the server stops."""

    def __init__(self, jobs_dir: Path, max_running: int = 2) -> None:
        self.jobs_dir = jobs_dir
        self.max_running = max_running
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start_crawl(self, data_dir: Path, site: str, max_pages: int | None) -> Job:
        """Run `thidua crawl --site SITE` (then extract and index) in the background."""
        command = [sys.executable, "-m", "thidua", "crawl", "--site", site, "--data-dir", str(data_dir)]
        if max_pages:
            command += ["--max-pages", str(max_pages)]
        return self.start("crawl", command)

    def start(self, kind: str, command: list[str]) -> Job:
        """Run `command` in the background, its output in `<jobs_dir>/<kind>-<id>.log`; TooManyJobs when
        `max_running` jobs are still running. A thread waits for the process, so it is reaped when it
        ends."""
        job_id = uuid.uuid4().hex[:12]
        log = self.jobs_dir / f"{kind}-{job_id}.log"
        with self._lock:
            running = sum(job.process.poll() is None for job in self._jobs.values())
            if running >= self.max_running:
                raise TooManyJobs(f"{running} jobs are running (at most {self.max_running}); try again later")
            self.jobs_dir.mkdir(parents=True, exist_ok=True)
            with log.open("wb") as out:
                process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
            job = self._jobs[job_id] = Job(job_id, command, log, process)
        threading.Thread(target=process.wait, name=f"reap-{job_id}", daemon=True).start()
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
