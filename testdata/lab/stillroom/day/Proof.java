import javax.servlet.http.HttpServletRequest;

/** Release 2.4.1's new widget: UK proof from ABV (?abv=). Pure Java; installed by the admin into widgets/. */
public class Proof implements stillroom.Widget {
    public String render(HttpServletRequest q) {
        double abv = Double.parseDouble(q.getParameter("abv"));
        return String.format("proof %.1f (UK) %.1f (US)%n", abv * 1.7535, abv * 2);
    }
}
