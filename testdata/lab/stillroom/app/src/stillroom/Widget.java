package stillroom;

import javax.servlet.http.HttpServletRequest;

/** A dashboard widget: a class file in /srv/stillroom/widgets, loaded per request (hot deploy). */
public interface Widget {
    String render(HttpServletRequest req) throws Exception;
}
