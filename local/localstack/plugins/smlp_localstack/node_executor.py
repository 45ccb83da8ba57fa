"""
A LocalStack Lambda runtime executor that runs each execution environment as a local Node.js
process instead of a container: no Docker, no image pull, no init-binary download.

LocalStack unzips the function's code (prepare_version), starts one executor per execution
environment (start), sends it one invocation at a time (invoke) and stops it when the environment
is retired (stop). Here an environment is one `node runner.cjs` process: it loads the handler
once, like Lambda's init phase, and answers invocations over a pipe (see runner.cjs). The
function's timeout is enforced here: a late invocation is answered with Lambda's timeout error
and the process is killed, to be started again on the next invocation, as Lambda discards a
timed-out sandbox.
"""

import json
import logging
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

from localstack.services.lambda_.invocation.lambda_models import FunctionVersion, InvocationResult
from localstack.services.lambda_.invocation.runtime_executor import RuntimeExecutor
from localstack.utils.strings import to_bytes

LOG = logging.getLogger(__name__)

RUNNER = Path(__file__).with_name("runner.cjs")
# Loading a bundled handler takes well under a second; this bounds a runner that never answers.
STARTUP_TIMEOUT_SECONDS = 60.0
# How long to wait after an answer for the log lines the function printed before it.
LOG_TAIL_SECONDS = 1.0


def node_binary() -> str:
    binary = os.environ.get("SMLP_NODE_BINARY") or shutil.which("node")
    if not binary:
        raise RuntimeError("node-process executor: no `node` on PATH (set SMLP_NODE_BINARY)")
    return binary


def error_payload(error_type: str, message: str) -> bytes:
    return to_bytes(json.dumps({"errorType": error_type, "errorMessage": message}))


class NodeProcessExecutor(RuntimeExecutor):
    def __init__(self, id: str, function_version: FunctionVersion) -> None:
        super().__init__(id, function_version)
        self._env: dict[str, str] = {}
        self._process: subprocess.Popen | None = None
        self._messages: queue.Queue = queue.Queue()
        self._log_lines: list[str] = []
        self._log_lock = threading.Lock()
        self._invoke_lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self, env_vars: dict[str, str]) -> None:
        runtime = self.function_version.config.runtime or ""
        if not runtime.startswith("nodejs"):
            raise RuntimeError(f"node-process executor runs Node.js functions only, not {runtime!r}")
        self._env = {key: str(value) for key, value in env_vars.items()}
        self._spawn()

    def stop(self) -> None:
        self._kill()

    def _spawn(self) -> None:
        code_dir = str(self.function_version.config.code.get_unzipped_code_location())
        read_fd, write_fd = os.pipe()
        env = {
            # Only what a Lambda sandbox has: the function's variables, not LocalStack's.
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            **self._env,
            # The LocalStack tier's record of each function's AWS calls (runner.cjs), when set.
            **({"SMLP_CALL_LOG": os.environ["SMLP_CALL_LOG"]} if os.environ.get("SMLP_CALL_LOG") else {}),
            "LAMBDA_TASK_ROOT": code_dir,
            "SMLP_RESPONSE_FD": str(write_fd),
        }
        self._messages = queue.Queue()
        process = subprocess.Popen(
            # The code directory is named on the command line (the runner ignores it) so a runner
            # left behind is found by its LocalStack's run directory.
            [node_binary(), str(RUNNER), code_dir],
            cwd=code_dir,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            pass_fds=(write_fd,),
            start_new_session=True,  # its own process group, so a kill takes any child it started
        )
        os.close(write_fd)
        self._process = process
        threading.Thread(target=self._read_messages, args=(process, read_fd), daemon=True).start()
        threading.Thread(target=self._read_logs, args=(process,), daemon=True).start()
        try:
            message = self._messages.get(timeout=STARTUP_TIMEOUT_SECONDS)
        except queue.Empty:
            self._kill()
            raise RuntimeError(f"function did not load within {STARTUP_TIMEOUT_SECONDS:.0f} s")
        if message.get("type") != "ready":
            self._kill()
            error = message.get("error") or {"errorMessage": f"runner exited with {message.get('code')}"}
            raise RuntimeError(f"function failed to load: {error.get('errorType')}: {error.get('errorMessage')}")

    def _read_messages(self, process: subprocess.Popen, read_fd: int) -> None:
        with os.fdopen(read_fd, "r", encoding="utf-8") as answers:
            for line in answers:
                self._messages.put(json.loads(line))
        # The pipe closes when the process exits: tell whoever waits for an answer.
        self._messages.put({"type": "exit", "code": process.wait()})

    def _read_logs(self, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            with self._log_lock:
                self._log_lines.append(raw.decode("utf-8", errors="replace"))

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    # -- invocation ------------------------------------------------------------------------------

    def invoke(self, payload: dict[str, str]) -> InvocationResult:
        request_id = payload["invoke-id"]
        with self._invoke_lock:
            if self._process is None or self._process.poll() is not None:
                try:
                    self._spawn()
                except RuntimeError as error:
                    return self._result(request_id, error_payload("Runtime.Unknown", str(error)), True, 0)
            timeout = float(self.function_version.config.timeout)
            with self._log_lock:
                first_log_line = len(self._log_lines)
            request = {
                "requestId": request_id,
                "functionArn": payload.get("invoked-function-arn"),
                "payload": payload.get("payload"),
                "traceId": payload.get("trace-id"),
                "deadlineMs": int((time.time() + timeout) * 1000),
            }
            assert self._process is not None and self._process.stdin is not None
            self._process.stdin.write(to_bytes(json.dumps(request) + "\n"))
            self._process.stdin.flush()
            try:
                message = self._messages.get(timeout=timeout)
            except queue.Empty:
                self._kill()
                body = error_payload(
                    "Sandbox.Timedout",
                    f"RequestId: {request_id} Error: Task timed out after {timeout:.2f} seconds",
                )
                return self._result(request_id, body, True, first_log_line)
            if message["type"] == "exit":
                self._process = None
                body = error_payload(
                    "Runtime.ExitError",
                    f"RequestId: {request_id} Error: Runtime exited with error: exit status {message.get('code')}",
                )
                return self._result(request_id, body, True, first_log_line)
            self._wait_for_log_line(f"REPORT RequestId: {request_id}")
            return self._result(request_id, to_bytes(message["payload"]), message["type"] == "error", first_log_line)

    def _wait_for_log_line(self, prefix: str) -> None:
        deadline = time.monotonic() + LOG_TAIL_SECONDS
        while time.monotonic() < deadline:
            with self._log_lock:
                if any(line.startswith(prefix) for line in self._log_lines[-5:]):
                    return
            time.sleep(0.01)

    def _result(self, request_id: str, body: bytes, is_error: bool, first_log_line: int) -> InvocationResult:
        with self._log_lock:
            logs = "".join(self._log_lines[first_log_line:])
        return InvocationResult(request_id=request_id, payload=body, is_error=is_error, logs=logs)

    def get_logs(self) -> str:
        with self._log_lock:
            return "".join(self._log_lines)

    # -- addresses: everything is on this machine ------------------------------------------------

    def get_address(self) -> str:
        return "127.0.0.1"

    def get_endpoint_from_executor(self) -> str:
        return "127.0.0.1"

    def get_runtime_endpoint(self) -> str:
        from localstack import config

        return f"http://127.0.0.1:{config.GATEWAY_LISTEN[0].port}/_localstack_lambda/{self.id}"

    # -- versions --------------------------------------------------------------------------------

    @classmethod
    def prepare_version(cls, function_version: FunctionVersion) -> None:
        if function_version.config.code:
            function_version.config.code.prepare_for_execution()

    @classmethod
    def cleanup_version(cls, function_version: FunctionVersion) -> None:
        pass

    @classmethod
    def validate_environment(cls) -> bool:
        try:
            node_binary()
        except RuntimeError as error:
            LOG.error("%s", error)
            return False
        return True
