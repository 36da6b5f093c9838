package org.cephfsjca.bench.server;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.cephfsjca.bench.OpLoop;

/**
 * {@code POST /cephfs-jca-bench/ops?dir=NAME&op=stat|read4k|create|lock&mode=held|perop|percall&warmupMs=&ms=}: one
 * repetition of the operation loop, timed in the server; answers {@code {"op","mode","n","meanUs","p50Us","p99Us"}}.
 * {@code POST ...?dir=NAME&setup=1} creates the loop's files first. {@code percall} times here, in the servlet, one
 * EJB call per operation (EJB interceptors + CCM + pool + operation); {@code percallnotx} the same with a business
 * method marked NOT_SUPPORTED (no JTA transaction begun and committed per call). Directories are under the server's system
 * property {@code cephfs.bench.root}; NAME is one plain segment.
 */
@WebServlet("/ops")
public class ServerOpsServlet extends HttpServlet {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final AtomicLong SEQ = new AtomicLong();
    private static final AtomicLong LOOPS = new AtomicLong();

    @EJB
    private ServerOpsBean bean;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String root = System.getProperty("cephfs.bench.root");
        String name = req.getParameter("dir");
        if (root == null || name == null || !NAME.matcher(name).matches()) {
            resp.sendError(400, "dir=NAME (one segment) and the system property cephfs.bench.root are required");
            return;
        }
        String dir = root + "/" + name;
        try {
            String json;
            if (req.getParameter("setup") != null) {
                bean.setup(dir);
                json = "{\"setup\":\"" + name + "\"}";
            } else {
                String op = req.getParameter("op");
                String mode = req.getParameter("mode");
                long warmupMs = Long.parseLong(req.getParameter("warmupMs"));
                long ms = Long.parseLong(req.getParameter("ms"));
                json = (mode.startsWith("percall") ? perCall(dir, op, mode, warmupMs, ms)
                        : bean.loop(dir, "s" + LOOPS.incrementAndGet() + "-", op, mode, warmupMs, ms)).json();
            }
            resp.setContentType("application/json");
            resp.getWriter().write(json);
        } catch (Exception e) {
            log("bench ops failed", e);
            resp.sendError(500, e.toString());
        }
    }

    private OpLoop.Rep perCall(String dir, String op, String mode, long warmupMs, long ms) throws Exception {
        OpLoop.Call c = switch (mode) {
            case "percall" -> () -> bean.one(dir, op, SEQ.incrementAndGet());
            case "percallnotx" -> () -> bean.oneWithoutTransaction(dir, op, SEQ.incrementAndGet());
            default -> throw new IllegalArgumentException("mode " + mode);
        };
        OpLoop.timed(c, warmupMs);
        return OpLoop.timed(op, mode, c, ms);
    }
}
