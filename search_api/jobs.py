"""Background jobs started by the writing endpoints: a `thidua crawl` process per request, a few at a
time, each reaped by a waiting thread as soon as it ends (no zombie until someone polls). Their state
lives in the job store (search_api.job_store), so any server process or host answers for any job."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from search_api.job_store import RUNNING, JobRecord, JobStore, TooManyJobsError

__all__ = ["JobRecord", "Jobs", "TooManyJobsError"]
# A job whose process is gone while its record still says running is given this long for the server
# that started it to record how it ended, before it is reported failed (that server died).
LOST_AFTER = 1.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Jobs:
    """Starts jobs on this host and records them in `store`; at most `max_running` run at once across
    every server sharing the store; the processes this server started are stopped when it stops."""

    def __init__(self, jobs_dir: Path, max_running: int, store: JobStore) -> None:
        self.jobs_dir = jobs_dir
        self.max_running = max_running
        self.store = store
        self.host = socket.gethostname()
        self._started: dict[str, tuple[subprocess.Popen[bytes], threading.Thread]] = {}
        self._lock = threading.Lock()

    def start_crawl(self, data_dir: Path, site: str, max_pages: int | None) -> JobRecord:
        """Run `thidua crawl --site SITE` (then extract and index) in the background."""
        command = [sys.executable, "-m", "thidua", "crawl", "--site", site, "--data-dir", str(data_dir)]
        if max_pages:
            command += ["--max-pages", str(max_pages)]
        return self.start("crawl", command)

    def start(self, kind: str, command: list[str]) -> JobRecord:
        """Run `command` in the background, its output in `<jobs_dir>/<kind>-<id>.log`; TooManyJobsError when
        `max_running` jobs are running. A thread waits for the process and records its end."""
        job_id = uuid.uuid4().hex[:12]
        log = self.jobs_dir / f"{kind}-{job_id}.log"
        record = JobRecord(job_id, kind, command, str(log), self.host, 0, time.time())
        reap = self._reap
        with self._lock:
            self.store.add(record, self.max_running)  # raises TooManyJobsError before anything starts
            self.jobs_dir.mkdir(parents=True, exist_ok=True)
            try:
                with log.open("wb") as out:
                    process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
            except OSError as exc:
                self._end(record, None, f"could not start: {exc}")
                raise
            record.pid = process.pid
            self.store.update(record)
            reaper = threading.Thread(target=reap, args=(record, process), name=f"reap-{job_id}", daemon=True)
            self._started[job_id] = process, reaper
        reaper.start()
        return record

    def _reap(self, record: JobRecord, process: subprocess.Popen[bytes]) -> None:
        """Wait for the job's process (so it is reaped at once) and record how it ended."""
        self._end(record, process.wait())

    def _end(self, record: JobRecord, code: int | None, note: str = "") -> None:
        ended = JobRecord(**{**vars(record), "state": "done" if code == 0 else "failed"})
        ended.exit_code, ended.finished, ended.note = code, time.time(), note
        self.store.update(ended)

    def get(self, job_id: str) -> JobRecord | None:
        """A job by id (from any server), or None; a job whose process vanished without its end being
        recorded (its server died) is reported failed."""
        record = self.store.get(job_id)
        if record is None or record.state != RUNNING or record.host != self.host:
            return record
        if not record.pid or _alive(record.pid):
            return record
        time.sleep(LOST_AFTER)
        record = self.store.get(job_id)
        if record is not None and record.state == RUNNING:
            self._end(record, None, "lost: the server that started it stopped first")
            record = self.store.get(job_id)
        return record

    def stop_all(self) -> None:
        """Terminate the jobs this server started that still run (the server is stopping)."""
        with self._lock:
            started = list(self._started.values())
        for process, reaper in started:
            if process.poll() is None:
                process.terminate()
            reaper.join(timeout=20)  # it records how the job ended
        self.store.close()
