import javax.servlet.http.HttpServletRequest;

/** Shipped widget: ABV from original and final gravity (?og=&fg=). Pure Java. */
public class Abv implements stillroom.Widget {
    public String render(HttpServletRequest q) {
        double og = Double.parseDouble(q.getParameter("og")), fg = Double.parseDouble(q.getParameter("fg"));
        return String.format("abv %.2f%%%n", (og - fg) * 131.25);
    }
}
