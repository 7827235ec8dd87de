#!/usr/bin/env python3
"""Protocol-abuse trials against a regbridge-server binary, printing figures rather than asserting (the GoogleTest
suites ServerMessageAbuseTest and ServerWorkloadTest hold the behaviour; this measures it).

usage: tests/trials/server_abuse.py BUILD/regbridge-server [numbers] [abandon] [orphan] [rss] [partial]

  numbers  1e400, -1e400, a 400-digit integer, deep nesting and lone surrogates in a request, each followed by a
           pipelined request; and a header ended by a bare LF: what comes back
  abandon  20 clients ask for a 20 MiB REG_BINARY and disconnect at once (and 20 more after 0.3 s); how long a new
           client waits for keyExists, and the helper's CPU time until it is idle
  orphan   100 such reads queued, then the --parent-pid process is killed: time to exit, CPU, peak RSS
  rss      VmRSS across 4,000 sequential connections and bursts of 200 and 1,000 concurrent ones
  partial  a half-sent header: what happens within 40 s
"""
import base64, json, os, socket, subprocess, sys, tempfile, time, signal

BIN = sys.argv[1]
WHICH = sys.argv[2:] or ["numbers", "abandon", "orphan", "rss", "partial"]

def frame(obj_or_text):
    body = obj_or_text if isinstance(obj_or_text, (bytes, str)) else json.dumps(obj_or_text)
    if isinstance(body, str): body = body.encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body

def req(i, method, params=None):
    m = {"jsonrpc": "2.0", "id": i, "method": method}
    if params is not None: m["params"] = params
    return frame(m)

def start(args):
    d = tempfile.mkdtemp(prefix="rbtrial-")
    sock = os.path.join(d, "run", "s")
    p = subprocess.Popen([BIN, "--pipe", sock, "--log-level", "error"] + args, stdout=subprocess.PIPE)
    line = p.stdout.readline()
    assert json.loads(line)["ready"], line
    return p, sock, d

def conn(sock):
    s = socket.socket(socket.AF_UNIX); s.connect(sock); return s

def read_msgs(s, n, timeout=5.0):
    s.settimeout(timeout); buf = b""; out = []
    try:
        while len(out) < n:
            while True:
                h = buf.find(b"\r\n\r\n")
                if h < 0: break
                ln = int(buf[:h].split(b":")[1]); 
                if len(buf) < h + 4 + ln: break
                out.append(json.loads(buf[h+4:h+4+ln])); buf = buf[h+4+ln:]
                if len(out) >= n: return out
            d = s.recv(1 << 20)
            if not d: out.append("EOF"); return out
            buf += d
    except socket.timeout:
        out.append("TIMEOUT")
    return out

def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

def rss(pid):
    for l in open(f"/proc/{pid}/status"):
        if l.startswith("VmRSS"): return int(l.split()[1])
    return -1

def short(m):
    if isinstance(m, str): return m
    return json.dumps(m.get("error", {"result": "ok"}))[:110] + f" id={m.get('id')}"

BADS = ["1e400", "-1e400", "1" * 400] + ([] if os.environ.get("NONEST") else ["[" * 100000 + "]" * 100000])
if "numbers" in WHICH:
    p, sock, _ = start(["--echo"])
    for bad in BADS + [ '"\\ud800"', '"\\udc00x"']:
        s = conn(sock)
        s.sendall(frame('{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":%s}}' % bad) + req(2, "ping"))
        print(f"numbers: {bad[:12]!r:16}", [short(m) for m in read_msgs(s, 2, 3)])
        s.close()
    s = conn(sock)
    s.sendall(b"Content-Length: 40\n\n" + b'{"jsonrpc":"2.0","id":1,"method":"ping"}')
    print("numbers: bare-LF header      ", [short(m) for m in read_msgs(s, 1, 3)])
    p.terminate(); p.wait()

def write_big(sock, key="HKCU\\Software\\Big"):
    s = conn(sock)
    data = base64.b64encode(os.urandom(20 << 20)).decode()
    s.sendall(req(1, "writeValue", {"key": key, "name": "v", "value": {"type": "REG_BINARY", "data": {"base64": data}}}))
    r = read_msgs(s, 1, 60); s.close(); assert "result" in r[0], r

if "abandon" in WHICH:
    d = tempfile.mkdtemp(prefix="rbprefix-")
    p, sock, _ = start(["--prefix", d])
    write_big(sock)
    time.sleep(0.5)
    c0 = cpu(p.pid); t0 = time.time()
    late = []
    for i in range(20):
        s = conn(sock); s.sendall(req(1, "readValue", {"key": "HKCU\\Software\\Big", "name": "v"})); s.close()
    for i in range(20):
        s = conn(sock); s.sendall(req(1, "readValue", {"key": "HKCU\\Software\\Big", "name": "v"})); late.append(s)
    time.sleep(0.3)
    for s in late: s.close()
    time.sleep(0.05)
    s = conn(sock); t1 = time.time(); s.sendall(req(1, "keyExists", {"key": "HKCU\\Software\\Big"}))
    r = read_msgs(s, 1, 60); lat = time.time() - t1; s.close()
    last = cpu(p.pid)
    while time.time() - t0 < 180:
        time.sleep(2); now = cpu(p.pid)
        if now - last < 0.03: break
        last = now
    print(f"abandon: keyExists latency {lat:.2f} s ({short(r[0])}); helper CPU until idle after 40 abandoned 20 MiB reads: {cpu(p.pid)-c0:.2f} s")
    p.terminate(); p.wait()

if "orphan" in WHICH:
    d = tempfile.mkdtemp(prefix="rbprefix-")
    parent = subprocess.Popen(["sleep", "1000"])
    p, sock, _ = start(["--prefix", d, "--parent-pid", str(parent.pid)])
    write_big(sock)
    s = conn(sock)
    s.sendall(b"".join(req(i, "readValue", {"key": "HKCU\\Software\\Big", "name": "v"}) for i in range(100)))
    time.sleep(1.0)
    c0 = cpu(p.pid); t0 = time.time(); parent.kill(); parent.wait()
    peak = 0; code = None
    while time.time() - t0 < 120:
        code = p.poll()
        if code is not None: break
        try: peak = max(peak, rss(p.pid)); c = cpu(p.pid)
        except Exception: pass
        time.sleep(0.05)
    print(f"orphan: exit after parent death {time.time()-t0:.2f} s (code {code}), CPU meanwhile {c-c0:.2f} s, peak RSS {peak/1024:.0f} MiB")
    if code is None: p.kill(); p.wait()
    s.close()

if "rss" in WHICH:
    d = tempfile.mkdtemp(prefix="rbprefix-")
    p, sock, _ = start(["--prefix", d])
    def cycle(n):
        for i in range(n):
            s = conn(sock); s.sendall(req(1, "keyExists", {"key": "HKCU\\Software"})); read_msgs(s, 1); s.close()
    cycle(50); time.sleep(0.3); r0 = rss(p.pid)
    for k in range(4):
        cycle(1000); time.sleep(0.3); print(f"rss: after {(k+1)*1000} more connections VmRSS {rss(p.pid)} kB (start {r0} kB)")
    # Concurrent: 200 open at once, then closed.
    for n in (200, 1000):
        ss = [conn(sock) for _ in range(n)]
        for s in ss: s.sendall(req(1, "keyExists", {"key": "HKCU\\Software"}))
        for s in ss: read_msgs(s, 1)
        for s in ss: s.close()
        time.sleep(1.6); print(f"rss: after {n} concurrent connections closed VmRSS {rss(p.pid)} kB")
    p.terminate(); p.wait()

if "partial" in WHICH:
    p, sock, _ = start(["--echo"])
    s = conn(sock); s.sendall(b"Content-Len")
    r = read_msgs(s, 1, 40)
    print("partial: half-sent header after up to 40 s:", [short(m) for m in r])
    p.terminate(); p.wait()
