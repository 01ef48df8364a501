"""Drives CourseKit's C# Jupyter kernel with Jupyter's own client (Debian's python3-jupyter-client).

Usage: kernel_client_check.py COMMAND...   where COMMAND starts coursekit, e.g. dotnet /abs/CourseKit.Cli.dll

Installs the kernelspec with `coursekit kernel install --prefix <temp>`, starts the kernel through it (as
VS Code, JupyterLab and nbconvert do) and checks the protocol: one line per check ("ok" or "FAIL"), then the
issue's figures (start to first idle, median round trip of `1+1`). Exits 1 when a check failed.
"""
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.session import Session

COURSEKIT = sys.argv[1:]
NAME = ".net-csharp"
NOT_INTERRUPTIBLE = "The cell cannot be interrupted: it does not check for cancellation. Restart the kernel to stop it."

failures = []


def check(name, test):
    """Runs one check and prints one line for it; an exception is its failure message."""
    try:
        detail = test()
        print(f"ok    {name}" + (f" ({detail})" if detail else ""), flush=True)
    except Exception as e:  # noqa: BLE001 - every failure is reported, then the next check runs
        failures.append(name)
        print(f"FAIL  {name}: {type(e).__name__}: {e}", flush=True)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def execute(kc, code, timeout=15, **options):
    """Runs a cell; returns (execute_reply content, [(msg_type, content)] of its iopub outputs)."""
    msg_id = kc.execute(code, **options)
    return collect(kc, msg_id, timeout)


def collect(kc, msg_id, timeout=15, stdin=None):
    """Waits for the reply to msg_id and its idle status; stdin(msg) answers input requests."""
    deadline = time.monotonic() + timeout
    reply, outputs, idle = None, [], False
    while reply is None or not idle:
        left = deadline - time.monotonic()
        expect(left > 0, f"no {'reply' if reply is None else 'idle status'} within {timeout} s; outputs so far: {outputs}")
        if stdin is not None:
            try:
                stdin(kc.get_stdin_msg(timeout=0.005))
            except queue.Empty:
                pass
        # Wait on the socket whose message is still missing (briefly on both while both are).
        if not idle:
            try:
                msg = kc.get_iopub_msg(timeout=left if reply is not None and stdin is None else 0.005)
                if msg["parent_header"].get("msg_id") == msg_id:
                    if msg["msg_type"] == "status":
                        idle = msg["content"]["execution_state"] == "idle"
                    elif msg["msg_type"] != "execute_input":
                        outputs.append((msg["msg_type"], msg["content"]))
            except queue.Empty:
                pass
        if reply is None:
            try:
                msg = kc.get_shell_msg(timeout=left if idle else 0.005)
                if msg["parent_header"].get("msg_id") == msg_id:
                    reply = msg["content"]
            except queue.Empty:
                pass
    return reply, outputs


def start_cell(kc, code):
    """Sends a cell that prints "started" first, and returns once it has (so an interrupt finds it running)."""
    msg_id = kc.execute('Console.WriteLine("started");\n' + code)
    deadline = time.monotonic() + 15
    while True:
        expect(time.monotonic() < deadline, "the cell did not start within 15 s")
        try:
            msg = kc.get_iopub_msg(timeout=0.1)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream" and msg["content"]["text"] == "started\n":
            return msg_id


def plain(content):
    return content["data"]["text/plain"]


def drain(kc):
    for get in (kc.get_iopub_msg, kc.get_shell_msg, kc.get_stdin_msg):
        while True:
            try:
                get(timeout=0.01)
            except queue.Empty:
                break


def main():
    temp = tempfile.mkdtemp(prefix="coursekit-kernel-")
    os.environ["JUPYTER_PATH"] = os.path.join(temp, "share", "jupyter")
    log_path = os.path.join(temp, "kernel-stderr.log")
    km = None
    try:
        def install():
            run = subprocess.run(COURSEKIT + ["kernel", "install", "--prefix", temp], capture_output=True, text=True, timeout=60)
            expect(run.returncode == 0, f"coursekit kernel install failed ({run.returncode}): {run.stdout}{run.stderr}")
            specs = KernelSpecManager().find_kernel_specs()
            expect(specs.get(NAME) == os.path.join(temp, "share", "jupyter", "kernels", NAME), f"Jupyter finds {specs}")
            spec = KernelSpecManager().get_kernel_spec(NAME)
            expect(spec.display_name == ".NET (C#) — CourseKit" and spec.language == "C#" and spec.interrupt_mode == "message",
                   f"kernelspec {spec.to_dict()}")
            expect(spec.argv[-3:] == ["kernel", "-f", "{connection_file}"], f"argv {spec.argv}")
            expect("coursekit" in spec.metadata, f"metadata {spec.metadata}")
            with open(os.path.join(spec.resource_dir, "logo-64x64.png"), "rb") as logo:
                expect(logo.read(8) == b"\x89PNG\r\n\x1a\n", "logo-64x64.png is not a PNG")
            return " ".join(spec.argv)
        check("kernelspec_installed_and_found_by_jupyter", install)

        km = KernelManager(kernel_name=NAME)
        log = open(log_path, "w")
        started = time.monotonic()
        km.start_kernel(stderr=log)
        kc = km.client()
        kc.start_channels()
        figures = {}

        def first_idle():
            # iopub is publish/subscribe: status messages sent before our subscription reaches the kernel are lost, so ask
            # again (kernel_info, as jupyter_client's wait_for_ready does) until an idle status arrives; leave one reply.
            sent, asked = 0, 0.0
            deadline = started + 20
            while True:
                expect(time.monotonic() < deadline, "no idle status within 20 s")
                if time.monotonic() - asked > 0.5:
                    kc.kernel_info()                          # queued until the kernel binds
                    sent, asked = sent + 1, time.monotonic()
                try:
                    msg = kc.get_iopub_msg(timeout=0.05)
                except queue.Empty:
                    continue
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    figures["first_idle"] = time.monotonic() - started
                    for _ in range(sent - 1):
                        expect(kc.get_shell_msg(timeout=10)["msg_type"] == "kernel_info_reply", "an extra kernel_info reply was missing")
                    return f"{figures['first_idle']:.2f} s after start"
        check("kernel_reaches_idle_after_start", first_idle)

        def kernel_info():
            reply = kc.get_shell_msg(timeout=10)
            expect(reply["msg_type"] == "kernel_info_reply", f"got {reply['msg_type']}")
            info = reply["content"]
            expect(info["protocol_version"] == "5.3" and info["implementation"] == "coursekit", f"{info}")
            language = info["language_info"]
            expect(language["name"] == "C#" and language["mimetype"] == "text/x-csharp" and language["file_extension"] == ".cs"
                   and language["pygments_lexer"] == "csharp" and language["codemirror_mode"] == "text/x-csharp", f"{language}")
            expect(reply["header"]["version"] == "5.3", f"header {reply['header']}")
            return f"C# {language['version']}"
        check("kernel_info_reply_describes_csharp", kernel_info)
        drain(kc)

        def first_execute():
            clock = time.monotonic()
            reply, outputs = execute(kc, "1 + 1")
            expect(reply["status"] == "ok" and reply["execution_count"] == 1, f"reply {reply}")
            expect([plain(c) for t, c in outputs if t == "execute_result"] == ["2"], f"outputs {outputs}")
            return f"{(time.monotonic() - clock) * 1000:.0f} ms, Roslyn warmed up in the background"
        check("first_execute_returns_its_value", first_execute)

        def stream_order():
            reply, outputs = execute(kc, 'Console.Write("one "); display("two"); Console.Write("three "); Console.Error.Write("err "); '
                                         'Console.WriteLine("four"); display(5); "six"')
            expect(reply["status"] == "ok", f"reply {reply}")
            seen = [(t, c["name"] + ":" + c["text"]) if t == "stream" else (t, plain(c)) for t, c in outputs]
            expected = [("stream", "stdout:one "), ("display_data", "two"), ("stream", "stdout:three "), ("stream", "stderr:err "),
                        ("stream", "stdout:four\n"), ("display_data", "5"), ("execute_result", "six")]
            expect(seen == expected, f"got {seen}")
        check("outputs_arrive_in_the_order_the_cell_wrote_them", stream_order)

        def coalescing():
            reply, outputs = execute(kc, "for (int i = 0; i < 2000; i++) Console.Write(i % 10);")
            streams = [c["text"] for t, c in outputs if t == "stream"]
            expect("".join(streams) == "0123456789" * 200, "text lost or reordered")
            expect(len(streams) <= 20, f"{len(streams)} stream messages for 2000 rapid writes")
            return f"2000 writes in {len(streams)} message(s)"
        check("rapid_console_writes_are_coalesced", coalescing)

        def errors():
            reply, outputs = execute(kc, 'throw new InvalidOperationException("boom");')
            expect(reply["status"] == "error" and reply["ename"] == "InvalidOperationException" and reply["evalue"] == "boom", f"reply {reply}")
            errs = [c for t, c in outputs if t == "error"]
            expect(len(errs) == 1 and errs[0]["ename"] == reply["ename"] and errs[0]["traceback"], f"outputs {outputs}")
            reply, outputs = execute(kc, 'int x = "text";')
            expect(reply["status"] == "error" and reply["ename"] == "CompilationError" and "CS0029" in reply["evalue"], f"reply {reply}")
            reply, outputs = execute(kc, "6 * 7")
            expect(reply["status"] == "ok" and [plain(c) for t, c in outputs] == ["42"], f"after errors: {reply} {outputs}")
        check("exception_and_compile_error_reply_error_and_the_kernel_goes_on", errors)

        def display_update():
            reply, outputs = execute(kc, 'var shown = display("first"); shown.Update("second");')
            expect(reply["status"] == "ok", f"reply {reply}")
            expect([t for t, c in outputs] == ["display_data", "update_display_data"], f"outputs {outputs}")
            (_, shown), (_, update) = outputs
            expect(shown["transient"]["display_id"] == update["transient"]["display_id"], "display ids differ")
            expect(plain(shown) == "first" and plain(update) == "second", f"outputs {outputs}")
        check("display_then_update_share_a_display_id", display_update)

        def is_complete():
            answers = {}
            for code in ["1 + 1", "for (int i = 0; i < 3; i++) {", "int x = ;"]:
                msg_id = kc.is_complete(code)
                reply = kc.get_shell_msg(timeout=10)
                expect(reply["parent_header"]["msg_id"] == msg_id, f"a reply to {reply['parent_header']}")
                reply = reply["content"]
                answers[code] = reply["status"]
                if reply["status"] == "incomplete":
                    expect(reply["indent"] == "", f"indent {reply}")
            expect(list(answers.values()) == ["complete", "incomplete", "invalid"], f"got {answers}")
        check("is_complete_says_complete_incomplete_invalid", is_complete)

        def completion():
            execute(kc, "var learningRate = 0.01;")
            reply = kc.complete("learn", cursor_pos=5, reply=True, timeout=10)["content"]
            expect(reply["status"] == "ok", f"reply {reply}")
            expect("learningRate" in reply["matches"], f"matches {reply['matches'][:20]}")
            expect(reply["cursor_start"] == 0 and reply["cursor_end"] == 5, f"cursor {reply['cursor_start']}..{reply['cursor_end']}")
        check("completion_offers_a_variable_from_an_earlier_cell", completion)

        def conv2d_completion_and_inspection():
            library = os.environ.get("COURSEKIT_DLL") or os.path.join(os.path.dirname(COURSEKIT[-1]), "CourseKit.dll")
            reply, _ = execute(kc, f'#r "{library}"\nusing CourseKit;')
            expect(reply["status"] == "ok", f"#r CourseKit.dll: {reply}")
            code = "var conv = new Conv2d(3, 6, 5);\nconv."
            matches = kc.complete(code, cursor_pos=len(code), reply=True, timeout=20)["content"]["matches"]
            expect("Forward" in matches and "Weight" in matches, f"members of conv: {matches[:20]}")
            code = "new Conv2d("
            matches = kc.complete(code, cursor_pos=len(code), reply=True, timeout=20)["content"]["matches"]
            expect(any(m.startswith("inChannels") for m in matches), f"inside new Conv2d(: {matches[:20]}")
            reply = kc.inspect(code, cursor_pos=len(code), reply=True, timeout=20)["content"]
            text = reply["data"].get("text/plain", "")
            expect(reply["found"] and "Conv2d(" in text and "inChannels" in text, f"inspect {reply}")
            return text.splitlines()[0]
        check("completion_and_inspection_of_new_conv2d", conv2d_completion_and_inspection)

        def stdin():
            msg_id = kc.execute('Console.Write("Name: "); var name = Console.ReadLine(); Console.WriteLine($"hello {name}");', allow_stdin=True)
            prompts = []

            def answer(request):
                prompts.append(request["content"])
                kc.input("Ada")
            reply, outputs = collect(kc, msg_id, stdin=answer)
            expect(reply["status"] == "ok" and len(prompts) == 1, f"reply {reply}, input requests {prompts}")
            text = "".join(c["text"] for t, c in outputs if t == "stream")
            expect(text == "Name: hello Ada\n", f"stream {text!r}")
            reply, outputs = execute(kc, "Console.ReadLine() is null", allow_stdin=False)
            expect([plain(c) for t, c in outputs] == ["True"], f"without stdin: {outputs}")
        check("console_readline_round_trips_through_stdin", stdin)

        def interrupt_input():
            msg_id = kc.execute("var never = Console.ReadLine();", allow_stdin=True)
            request = kc.get_stdin_msg(timeout=15)
            expect(request["msg_type"] == "input_request", f"got {request['msg_type']}")
            km.interrupt_kernel()
            reply, _ = collect(kc, msg_id, timeout=2)
            expect(reply["status"] == "error" and reply["ename"] == "OperationCanceledException", f"reply {reply}")
        check("interrupt_while_waiting_for_input_ends_the_cell", interrupt_input)

        def stop_on_error():
            first = kc.execute('throw new Exception("first");')
            queued = [kc.execute("1 + 1"), kc.execute("2 + 2")]
            replies = {}
            while len(replies) < 3:
                msg = kc.get_shell_msg(timeout=10)
                replies[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
            expect(replies[first] == "error" and [replies[q] for q in queued] == ["aborted", "aborted"], f"statuses {replies}")
            drain(kc)
            reply, _ = execute(kc, "3 + 3")
            expect(reply["status"] == "ok", f"a request after the error reply: {reply}")
        check("execute_requests_queued_behind_an_error_are_aborted", stop_on_error)

        def bad_signature():
            forged = Session(key=b"not-the-key", session=kc.session.session, username=kc.session.username)
            forged.send(kc.shell_channel.socket, "kernel_info_request", {})
            try:
                msg = kc.get_shell_msg(timeout=1)
                raise AssertionError(f"the kernel answered a badly signed message: {msg['msg_type']}")
            except queue.Empty:
                pass
            reply = kc.kernel_info(reply=True, timeout=5)
            expect(reply["msg_type"] == "kernel_info_reply", f"got {reply['msg_type']}")
            with open(log_path) as logged:
                expect("invalid signature" in logged.read(), "the kernel's stderr does not mention the invalid signature")
        check("badly_signed_message_is_ignored_and_logged", bad_signature)
        drain(kc)

        def round_trip():
            times = []
            for _ in range(20):
                clock = time.monotonic()
                reply, outputs = execute(kc, "1+1")
                times.append(time.monotonic() - clock)
                expect(reply["status"] == "ok", f"reply {reply}")
            figures["round_trip"] = statistics.median(times)
            return f"median {figures['round_trip'] * 1000:.1f} ms over 20, max {max(times) * 1000:.1f} ms"
        check("execute_round_trip_of_1_plus_1", round_trip)

        def interrupt_sleep():
            msg_id = start_cell(kc, "System.Threading.Thread.Sleep(60_000);")
            clock = time.monotonic()
            km.interrupt_kernel()
            reply, outputs = collect(kc, msg_id, timeout=5)
            took = time.monotonic() - clock
            expect(took <= 2, f"the interrupted cell ended after {took:.2f} s")
            expect(reply["status"] == "error" and reply["ename"] == "OperationCanceledException", f"reply {reply}")
            reply, outputs = execute(kc, "1 + 2")
            expect([plain(c) for t, c in outputs] == ["3"], f"after the interrupt: {reply} {outputs}")
            return f"stopped {took * 1000:.0f} ms after the interrupt"
        check("interrupt_stops_a_sleeping_cell_within_2_s", interrupt_sleep)

        def interrupt_training():
            msg_id = start_cell(kc, "\n".join([
                "Rng.ManualSeed(0);",
                "var inputs = Tensor.Randn(4096, 64);",
                "var classes = Tensor.RandInt(0, 10, 4096);",
                "var net = new Sequential(new Linear(64, 256), new ReLU(), new Linear(256, 10));",
                "Trainer.Fit(net, new CrossEntropyLoss(), new SGD(net.Parameters(), lr: 0.01f),",
                "            new DataLoader(new TensorDataset(inputs, classes), batchSize: 32), epochs: 1000);"]))
            time.sleep(0.5)                                   # let training get going
            clock = time.monotonic()
            km.interrupt_kernel()
            reply, outputs = collect(kc, msg_id, timeout=5)
            took = time.monotonic() - clock
            expect(took <= 2, f"training ended {took:.2f} s after the interrupt")
            expect(reply["status"] == "error" and reply["ename"] == "OperationCanceledException"
                   and any("TrainingCancelledException: Training was stopped" in line for line in reply["traceback"]), f"reply {reply}")
            reply, outputs = execute(kc, "net.Parameters().Count()")
            expect([plain(c) for t, c in outputs] == ["4"], f"after the interrupt: {reply} {outputs}")
            return f"stopped {took * 1000:.0f} ms after the interrupt"
        check("interrupt_stops_trainer_fit_within_2_s", interrupt_training)

        def cell_cancellation():
            msg_id = start_cell(kc, 'while (!CellCancellation.IsCancellationRequested) { }\nConsole.Write("stopped cleanly");')
            km.interrupt_kernel()
            reply, outputs = collect(kc, msg_id, timeout=5)
            expect(reply["status"] == "ok" and [c.get("text") for t, c in outputs] == ["stopped cleanly"], f"{reply} {outputs}")
        check("interrupt_signals_kernel_cell_cancellation", cell_cancellation)

        def not_interruptible():
            msg_id = start_cell(kc, "while (true) { }")
            km.interrupt_kernel()
            deadline = time.monotonic() + 5
            while True:
                expect(time.monotonic() < deadline, "no 'cannot be interrupted' message within 5 s")
                try:
                    msg = kc.get_iopub_msg(timeout=0.1)
                except queue.Empty:
                    continue
                if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
                    expect(msg["content"]["name"] == "stderr" and NOT_INTERRUPTIBLE in msg["content"]["text"], f"stream {msg['content']}")
                    break
            km.restart_kernel(now=True)
            drain(kc)
            kc.wait_for_ready(timeout=20)
            reply, outputs = execute(kc, "1 + 3")
            expect([plain(c) for t, c in outputs] == ["4"] and reply["execution_count"] == 1, f"after the restart: {reply} {outputs}")
        check("busy_loop_is_reported_not_interruptible_and_restart_recovers", not_interruptible)

        def environment_exit():
            kc.execute("Environment.Exit(3);")
            deadline = time.monotonic() + 10
            while km.is_alive():
                expect(time.monotonic() < deadline, "the kernel still runs 10 s after Environment.Exit(3)")
                time.sleep(0.05)
            code = km.provisioner.process.returncode if km.provisioner and km.provisioner.process else None
            expect(code in (3, None), f"exit code {code}")
            return f"exit code {code}"
        check("environment_exit_ends_the_kernel", environment_exit)

        def shutdown():
            km.restart_kernel(now=True)
            drain(kc)
            kc.wait_for_ready(timeout=20)
            request = kc.session.msg("shutdown_request", {"restart": True})
            kc.shell_channel.send(request)
            reply = kc.get_shell_msg(timeout=10)
            expect(reply["msg_type"] == "shutdown_reply" and reply["content"]["restart"] is True, f"shell reply {reply['content']}")
            deadline = time.monotonic() + 5
            while km.is_alive():
                expect(time.monotonic() < deadline, "still alive 5 s after shutdown_request on shell")
                time.sleep(0.05)
            km.start_kernel(stderr=log)
            kc.wait_for_ready(timeout=20)
            clock = time.monotonic()
            km.shutdown_kernel(now=False)                      # shutdown_request on control, then waits for the process
            took = time.monotonic() - clock
            expect(not km.is_alive() and took < 4, f"control shutdown took {took:.1f} s (jupyter_client kills after 5 s)")
            return f"control shutdown in {took * 1000:.0f} ms"
        check("shutdown_on_shell_and_control_ends_the_kernel", shutdown)
        kc.stop_channels()

        for figure, label, target, unit in (("first_idle", "start to first idle", 2.0, "s"), ("round_trip", "median execute round trip of 1+1", 0.05, "ms")):
            if figure in figures:
                value = figures[figure] * (1000 if unit == "ms" else 1)
                goal = target * (1000 if unit == "ms" else 1)
                verdict = "meets" if figures[figure] <= target else "misses"
                print(f"figure: {label} {value:.2f} {unit} ({verdict} the issue's target of <= {goal:g} {unit})")
        # The targets hold on an idle machine; the test fails only far above them (a shared CI machine is slow).
        for figure, limit in (("first_idle", 5.0), ("round_trip", 0.25)):
            if figure in figures and figures[figure] > limit:
                failures.append(figure)
                print(f"FAIL  {figure} {figures[figure]:.3f} s: far over the issue's target (this check's limit is {limit} s)")
    finally:
        if km is not None and km.has_kernel:
            km.shutdown_kernel(now=True)
        if failures:
            with open(log_path) as logged:
                print("kernel stderr:\n" + logged.read())
        shutil.rmtree(temp, ignore_errors=True)
    total = len(failures)
    print(f"{'all checks passed' if total == 0 else f'{total} failed: ' + ', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
