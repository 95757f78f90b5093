#!/usr/bin/env python3
"""A private cluster on one machine: network namespaces as hosts, faults injected from the job's event log.

    netbed.py --check        (exit 0 when this machine can run the bed, else 77 with the reason)
    netbed.py --binary SPINDLE --workdir DIR [--fault KIND:HOST[:ARG]] [--trigger EVENT[:FIELD=PREFIX]]
              [--heal-after SECONDS] [--scratch-limit HOST:SIZE] [--expect-lost N]
              [--private-files --private-path DIR...] -- JOB [RUN OPTIONS...]

It re-runs itself under `unshare --mount --net --pid --fork --kill-child --mount-proc --propagation private`,
mounts a tmpfs on /run/netns, and builds one bridge namespace (`br`) and one namespace per host (`coord`,
`w1`, `w2`, `w3`), each joined to the bridge by a veth pair, with addresses from 10.251.0.0/24 only and no
default route: nothing can leave it, and everything (namespaces, links, processes, mounts) disappears when
it exits, even after SIGKILL (the PID namespace dies with its first process).

The coordinator runs `spindle run JOB --listen 10.251.0.10:7070 --workers 0 --expect-workers 3` with the
given options; each worker runs `spindle worker --advertise ITS_ADDRESS --fetch-port 7100 --coordinator-grace 8s` with its own
private scratch directory (TMPDIR) under DIR/hosts/HOST/tmp (a small tmpfs with --scratch-limit).

With --private-files, no host shares the job's files (as machines without NFS): each worker runs in a mount
namespace of its own with an empty tmpfs over every --private-path (the inputs) and over the output's parent
(DIR/view), so only the coordinator sees them; w1 finds decoy files of the inputs' names there (other bytes), and
w3 a decoy `OUTPUT/_temporary` directory. Workers must get their input from the coordinator and ship their part
files back; each worker's view of DIR/view is listed at its exit, and any file in it is a problem.

Faults (applied when the trigger event appears in the event log, undone after --heal-after seconds):
  partition:HOST    drop everything to and from HOST (nft rules in the bridge namespace)
  outbound:HOST     drop what HOST sends (one-way)
  inbound:HOST      drop what HOST receives (one-way)
  loss:HOST:PCT     drop PCT % of HOST's packets both ways (nft `numgen random`)
  rate:HOST:RATE    limit HOST's link to RATE both ways (`tc tbf`, e.g. 4mbit)
(`netem` delay is not used: this kernel has no sch_netem.)

Checks (each failed one is a line of "problems" in the JSON result printed as the last line of stdout):
`worker_lost` within the heartbeat timeout + 1 s of the fault; every stage in flight at a loss completes
within the heartbeat timeout + 5 s of it; as many losses as --expect-lost; `_SUCCESS` if and only if exit 0;
workers never lost exit 0 when the job succeeded; no Spindle process left in the PID namespace 15 s after
the coordinator exits; every worker's scratch directory empty. The output itself is compared with the
sequential reference by the caller (the Swift tests).

Exit status: 0 when the run happened (problems or not, see the JSON), 77 when this machine cannot run it
(not root, or no unshare / ip / nft), with the reason on stderr; 2 for bad usage.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time

SKIP = 77
SUBNET = "10.251.0"
HOSTS = {"coord": f"{SUBNET}.10", "w1": f"{SUBNET}.11", "w2": f"{SUBNET}.12", "w3": f"{SUBNET}.13"}
WORKERS = ["w1", "w2", "w3"]
CONTROL_PORT = 7070
FETCH_PORT = 7100
# Long enough to ride out a 3 s blip of the coordinator's link, short enough that a worker cut off for good has
# given up within the 15 s after the coordinator exits that the checks allow.
COORDINATOR_GRACE = "8s"


def skip_reason():
    """Why this machine cannot build the cluster, or None."""
    if os.geteuid() != 0:
        return "needs root to create network namespaces (unshare --net, ip netns, nft)"
    for tool in ("unshare", "ip", "nft", "tc"):
        if not any(os.access(os.path.join(d, tool), os.X_OK) for d in os.environ.get("PATH", "/usr/sbin:/usr/bin").split(":") + ["/usr/sbin", "/sbin"]):
            return f"needs '{tool}' (apt-get install -y iproute2 nftables util-linux)"
    probe = subprocess.run(["unshare", "--mount", "--net", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "private",
                            "sh", "-c", "ip link add nb0 type bridge && nft add table bridge probe"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"cannot create namespaces, a bridge or nft tables here: {probe.stderr.strip()[:200]}"
    return None


def sh(*args, check=True):
    """Runs a command; raises with its stderr when it fails and `check`."""
    result = subprocess.run(list(args), capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {result.stderr.strip()}")
    return result


def netns(host, *args, check=True):
    return sh("ip", "netns", "exec", host, *args, check=check)


def build_network():
    os.makedirs("/run/netns", exist_ok=True)
    sh("mount", "-t", "tmpfs", "-o", "size=1m", "netbed", "/run/netns")
    sh("ip", "netns", "add", "br")
    netns("br", "ip", "link", "add", "br0", "type", "bridge")
    netns("br", "ip", "link", "set", "br0", "up")
    for host, address in HOSTS.items():
        sh("ip", "netns", "add", host)
        sh("ip", "link", "add", f"v-{host}", "type", "veth", "peer", "name", "eth0", "netns", host)
        sh("ip", "link", "set", f"v-{host}", "netns", "br")
        netns("br", "ip", "link", "set", f"v-{host}", "master", "br0", "up")
        netns(host, "ip", "addr", "add", f"{address}/24", "dev", "eth0")
        netns(host, "ip", "link", "set", "eth0", "up")
        netns(host, "ip", "link", "set", "lo", "up")
    netns("br", "nft", "add table bridge netbed")
    netns("br", "nft", "add chain bridge netbed faults { type filter hook forward priority 0 ; policy accept ; }")


def apply_fault(fault):
    kind, host, *rest = fault.split(":")
    link = f"v-{host}"
    rules = {
        "partition": [f'iifname "{link}" drop', f'oifname "{link}" drop'],
        "outbound": [f'iifname "{link}" drop'],
        "inbound": [f'oifname "{link}" drop'],
        "loss": [f'iifname "{link}" numgen random mod 100 < {rest[0] if rest else 5} drop',
                 f'oifname "{link}" numgen random mod 100 < {rest[0] if rest else 5} drop'],
    }
    if kind in rules:
        for rule in rules[kind]:
            netns("br", "nft", f"add rule bridge netbed faults {rule}")
    elif kind == "rate":
        rate = rest[0] if rest else "4mbit"
        netns(host, "tc", "qdisc", "add", "dev", "eth0", "root", "tbf", "rate", rate, "burst", "32kbit", "latency", "400ms")
        netns("br", "tc", "qdisc", "add", "dev", link, "root", "tbf", "rate", rate, "burst", "32kbit", "latency", "400ms")
    else:
        raise ValueError(f"unknown fault kind '{kind}' in --fault {fault}")


def heal_fault(fault):
    kind, host, *_ = fault.split(":")
    if kind == "rate":
        netns(host, "tc", "qdisc", "del", "dev", "eth0", "root", check=False)
        netns("br", "tc", "qdisc", "del", "dev", f"v-{host}", "root", check=False)
    else:
        netns("br", "nft", "flush chain bridge netbed faults")


class EventLog:
    """The coordinator's event log, read as it grows."""

    def __init__(self, path):
        self.path, self.offset, self.events, self.partial = path, 0, [], ""

    def poll(self):
        try:
            with open(self.path) as f:
                f.seek(self.offset)
                chunk = f.read()
                self.offset = f.tell()
        except FileNotFoundError:
            return []
        lines = (self.partial + chunk).split("\n")
        self.partial = lines.pop()
        new = [json.loads(line) for line in lines if line.strip()]
        self.events += new
        return new


def matches(event, trigger):
    name, _, condition = trigger.partition(":")
    if event.get("event") != name:
        return False
    if not condition:
        return True
    field, _, prefix = condition.partition("=")
    value = event.get(field)
    return isinstance(value, str) and (value == prefix or value.startswith(prefix + " ")) or str(value) == prefix


def spindle_processes(binary):
    """PIDs (and command lines) of processes of `binary` in this PID namespace."""
    found = []
    real = os.path.realpath(binary)
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            if os.path.realpath(f"/proc/{entry}/exe") == real:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    found.append((int(entry), f.read().replace(b"\0", b" ").decode(errors="replace").strip()))
        except OSError:
            continue
    return found


def seconds(text):
    text = text.strip()
    for suffix, factor in (("ms", 0.001), ("s", 1.0), ("m", 60.0)):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


def inner(args):
    work = os.path.abspath(args.workdir)
    events_path = os.path.join(work, "events.jsonl")
    output = os.path.join(work, "out")
    view = os.path.join(work, "view")
    if args.private_files:
        # Workers mount a tmpfs over `view`: the output inside it is the coordinator's alone.
        os.makedirs(view, exist_ok=True)
        output = os.path.join(view, "out")
    secret = os.path.join(work, "secret")
    with open(secret, "w") as f:
        f.write(os.urandom(16).hex())
    os.chmod(secret, 0o600)
    build_network()
    scratch = {}
    for host in HOSTS:
        scratch[host] = os.path.join(work, "hosts", host, "tmp")
        os.makedirs(scratch[host], exist_ok=True)
    for limit in args.scratch_limit:
        host, size = limit.split(":")
        sh("mount", "-t", "tmpfs", "-o", f"size={size}", f"netbed-{host}", scratch[host])

    logs = os.path.join(work, "logs")
    os.makedirs(logs, exist_ok=True)

    def private_view(host):
        """A shell script giving `host` its own view of the job's files (see --private-files), then running the command."""
        lines = ["set -e"]
        for path in args.private_path + [view]:
            names = sorted(os.listdir(path)) if os.path.isdir(path) and path != view else []
            lines.append(f"mount -t tmpfs -o size=64m netbed-{host}-files '{path}'")
            if host == "w1":
                # Same names, other bytes: the identity check must send w1 to the coordinator for the real ones.
                lines += [f"printf 'decoy of {name}\\n' > '{os.path.join(path, name)}'" for name in names]
        if host == "w3":
            # A local directory of the output's name: w3 must not take it for the coordinator's.
            lines.append(f"mkdir -p '{os.path.join(output, '_temporary')}'")
        lines += ["set +e", '"$0" "$@"', "rc=$?", f"find '{view}' -type f > '{os.path.join(logs, host + '.view')}'", "exit $rc"]
        return ["unshare", "--mount", "--propagation", "private", "sh", "-c", "\n".join(lines)]

    def start(host, argv):
        env = dict(os.environ, TMPDIR=scratch[host])
        env.pop("SPINDLE_LOCAL_WORKER", None)
        out = open(os.path.join(logs, f"{host}.stdout"), "w")
        err = open(os.path.join(logs, f"{host}.stderr"), "w")
        wrapper = private_view(host) if args.private_files and host != "coord" else []
        return subprocess.Popen(["ip", "netns", "exec", host] + wrapper + ["env", f"TMPDIR={scratch[host]}", args.binary] + argv,
                                env=env, stdout=out, stderr=err)

    job, *job_options = args.job
    coordinator = start("coord", ["run", job, "--output", output, "--listen", f"{HOSTS['coord']}:{CONTROL_PORT}", "--workers", "0",
                                  "--expect-workers", str(len(WORKERS)), "--secret-file", secret, "--event-log", events_path,
                                  "--heartbeat-timeout", args.heartbeat_timeout, "--ui", "off"] + job_options)
    log = EventLog(events_path)
    deadline = time.monotonic() + 30
    while not any(e.get("event") == "coordinator_listening" for e in log.events) and coordinator.poll() is None and time.monotonic() < deadline:
        log.poll()
        time.sleep(0.02)
    workers = {host: start(host, ["worker", "--coordinator", f"{HOSTS['coord']}:{CONTROL_PORT}", "--secret-file", secret,
                                  "--advertise", HOSTS[host], "--fetch-port", str(FETCH_PORT),
                                  "--coordinator-grace", COORDINATOR_GRACE]) for host in WORKERS}

    fault_t = heal_t = trigger_t = None
    applied_at = healed = None
    job_deadline = time.monotonic() + args.timeout
    while coordinator.poll() is None and time.monotonic() < job_deadline:
        new = log.poll()
        seen = time.monotonic()
        if args.fault and fault_t is None:
            hit = next((e for e in new if matches(e, args.trigger)), None)
            if hit is not None:
                apply_fault(args.fault)
                applied_at = time.monotonic()
                trigger_t = hit["t"]
                # In the event log's clock, as late as the rule can have taken effect (detection times err long).
                fault_t = trigger_t + (applied_at - seen)
        if applied_at is not None and args.heal_after is not None and not healed and time.monotonic() - applied_at >= args.heal_after:
            heal_fault(args.fault)
            healed = True
            heal_t = fault_t + (time.monotonic() - applied_at)
        time.sleep(0.02)
    problems = []
    if coordinator.poll() is None:
        problems.append(f"the coordinator did not finish within {args.timeout} s; killed")
        coordinator.kill()
    exit_code = coordinator.wait()
    exited_at = time.monotonic()
    log.poll()
    if args.fault and fault_t is None:
        problems.append(f"the trigger {args.trigger} never appeared in the event log; no fault was injected")

    # Processes: every Spindle process gone within 15 s of the coordinator's exit.
    leftover = spindle_processes(args.binary)
    while leftover and time.monotonic() - exited_at < 15:
        time.sleep(0.1)
        leftover = spindle_processes(args.binary)
    if leftover:
        problems.append(f"Spindle processes still running 15 s after the coordinator exited: {leftover}")
        for pid, _ in leftover:
            os.kill(pid, signal.SIGKILL)
    worker_codes = {}
    for host, process in workers.items():
        try:
            worker_codes[host] = process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            worker_codes[host] = process.wait()
    if fault_t is not None and args.heal_after is not None and not healed:
        heal_fault(args.fault)

    # Who was lost, when, and how long the stages in flight took to complete after it.
    hb = seconds(args.heartbeat_timeout)
    joined = {e["worker"]: e for e in log.events if e.get("event") == "worker_joined"}
    host_of = {w: next((h for h, a in HOSTS.items() if e.get("exchange", "").startswith(a + ":")), "?") for w, e in joined.items()}
    lost = [e for e in log.events if e.get("event") == "worker_lost"]
    stage_names = [e["stage"] for e in log.events if e.get("event") == "stage_added"]
    measures = {"trigger_t": trigger_t, "fault_t": fault_t, "heal_t": heal_t, "losses": []}
    for loss in lost:
        in_flight = set()
        for e in log.events:
            if e["t"] > loss["t"]:
                break
            if e.get("event") == "attempt_started" and e.get("stage", -1) < len(stage_names):
                in_flight.add(stage_names[e["stage"]])
            elif e.get("event") == "stage_completed":
                in_flight.discard(e["stage"])
        recovered = {}
        for name in sorted(in_flight):
            done = next((e["t"] for e in log.events if e["t"] >= loss["t"] and e.get("event") == "stage_completed" and e["stage"] == name), None)
            recovered[name] = None if done is None else round(done - loss["t"], 3)
            if done is None and exit_code == 0:
                problems.append(f"stage '{name}', in flight when {host_of.get(loss['worker'])} was lost, never completed")
            elif done is not None and done - loss["t"] > hb + 5:
                problems.append(f"stage '{name}' completed {done - loss['t']:.2f} s after the loss of {host_of.get(loss['worker'])} (bound: {hb + 5:.1f} s)")
        detection = None if fault_t is None else round(loss["t"] - fault_t, 3)
        if detection is not None and detection > hb + 1:
            problems.append(f"worker_lost for {host_of.get(loss['worker'])} came {detection:.2f} s after the fault (bound: {hb + 1:.1f} s)")
        measures["losses"].append({"worker": loss["worker"], "host": host_of.get(loss["worker"]), "t": loss["t"], "cause": loss.get("cause"),
                                   "detection_s": detection, "stages_completed_after_s": recovered})
    if args.expect_lost is not None and len(lost) != args.expect_lost:
        problems.append(f"{len(lost)} worker_lost events, expected {args.expect_lost}: {[(l.get('worker'), l.get('cause')) for l in lost]}")

    success = os.path.exists(os.path.join(output, "_SUCCESS"))
    if success != (exit_code == 0):
        problems.append(f"_SUCCESS {'exists' if success else 'is missing'} with exit code {exit_code}")
    lost_hosts = {host_of.get(l["worker"]) for l in lost}
    for host, code in worker_codes.items():
        if exit_code == 0 and host not in lost_hosts and code != 0:
            problems.append(f"worker {host}, never lost, exited {code} after the job succeeded")
    for host in WORKERS:
        left = sorted(os.listdir(scratch[host]))
        if left:
            problems.append(f"{host}'s scratch directory {scratch[host]} is not empty: {left}")
    if args.private_files:
        for host in WORKERS:
            try:
                with open(os.path.join(logs, f"{host}.view")) as f:
                    seen = [line for line in f.read().split("\n") if line]
            except FileNotFoundError:
                seen = ["(its view was never listed)"]
            if seen:
                problems.append(f"{host} holds files in its own view of the output directory: {seen[:5]}")
    for limit in args.scratch_limit:
        sh("umount", scratch[limit.split(':')[0]], check=False)
    print(json.dumps({"exit_code": exit_code, "worker_exit_codes": worker_codes, "output": output, "events": events_path,
                      "logs": logs, "lost": len(lost), "measures": measures, "problems": problems}))
    return 0


def main():
    if sys.argv[1:] == ["--check"]:
        reason = skip_reason()
        if reason:
            print(f"netbed: cannot run here: {reason}", file=sys.stderr)
            return SKIP
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the spindle executable (every host runs it)")
    parser.add_argument("--workdir", required=True, help="an empty directory for inputs, outputs, logs and the hosts' scratch")
    parser.add_argument("--fault", help="KIND:HOST[:ARG], see above")
    parser.add_argument("--trigger", default="attempt_started", help="EVENT[:FIELD=PREFIX] in the event log that injects the fault")
    parser.add_argument("--heal-after", type=float, help="seconds after which the fault is undone")
    parser.add_argument("--scratch-limit", action="append", default=[], help="HOST:SIZE, a tmpfs of SIZE as HOST's scratch")
    parser.add_argument("--expect-lost", type=int, help="worker_lost events expected")
    parser.add_argument("--private-files", action="store_true", help="workers see neither the inputs nor the output (see above)")
    parser.add_argument("--private-path", action="append", default=[], help="a directory of inputs only the coordinator sees")
    parser.add_argument("--heartbeat-timeout", default="2s")
    parser.add_argument("--timeout", type=float, default=120, help="seconds after which the coordinator is killed")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("job", nargs=argparse.REMAINDER, help="-- JOB [spindle run options]")
    args = parser.parse_args()
    if args.job and args.job[0] == "--":
        args.job = args.job[1:]
    if not args.job:
        parser.error("missing -- JOB [options]")
    if args.fault and args.fault.split(":")[1] not in HOSTS:
        parser.error(f"--fault {args.fault}: the host must be one of {', '.join(HOSTS)}")
    if args.inner:
        return inner(args)
    reason = skip_reason()
    if reason:
        print(f"netbed: skipped: {reason}", file=sys.stderr)
        return SKIP
    os.makedirs(args.workdir, exist_ok=True)
    argv = ["unshare", "--mount", "--net", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "private",
            sys.executable, os.path.abspath(__file__), "--inner"] + sys.argv[1:]
    # Become unshare: a SIGKILL to this process then kills the bed's first process, and with it the PID
    # namespace (every host's processes), the network namespaces and the mounts.
    sys.stdout.flush()
    os.execvp("unshare", argv)


if __name__ == "__main__":
    sys.exit(main())
