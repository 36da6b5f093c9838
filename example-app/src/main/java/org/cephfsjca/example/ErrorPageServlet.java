package org.cephfsjca.example;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The error page of every status the container answers by itself (web.xml {@code <error-page>}): 401 before
 * sign-in, 403 for a role that does not allow the request, 404 outside the API, ... as the same JSON as the API's own
 * errors. The container keeps the status and headers ({@code WWW-Authenticate} of a 401).
 */
@WebServlet(urlPatterns = ErrorPageServlet.PATH)
public class ErrorPageServlet extends HttpServlet {

    static final String PATH = "/error";
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer ? (Integer) code : 404;
        res.setStatus(status);
        res.setContentType("application/json");
        res.setCharacterEncoding("UTF-8");
        res.getWriter().write(ErrorJson.body(ErrorJson.codeOf(status), ErrorJson.messageOf(status)));
    }
}
