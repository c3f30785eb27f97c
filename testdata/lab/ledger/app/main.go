// ledgerd: Ledger, a small invoicing service of the lab (scenario-ledger-receipt).
// Go standard library only; built by lib/ledger-setup.sh at install time.
//
// Pages: / (open invoices), /invoices/{id} (one invoice), /invoices/{id}/pdf
// (the PDF: the settings' render command (groff) piped into its pdf command
// (ps2pdf), argv arrays, no shell). JSON API: /api/v1/invoices (GET list,
// POST create with the API token), /api/v1/receipts (a customer's proof of
// payment: saved under data/receipts, a PNG/JPEG gets a thumbnail by
// convert), /api/v1/imports (the accounting team's bank statements fetched
// from a URL, API token). /healthz for the load balancer, /debug/vars
// (expvar) for the metrics scraper.
//
// THE LAB'S PLANTED VULNERABILITY (CWE-22): the receipt's and the import's
// file name is joined to its directory without a check, so "../../conf/x"
// writes outside it; the settings file is owned by the service account and
// reloaded when its modification time changes, so a receipt named
// ../../conf/ledger.json replaces the commands the PDF export runs.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"expvar"
	"flag"
	"fmt"
	"html/template"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

type settings struct {
	Company   string   `json:"company"`
	DataDir   string   `json:"data_dir"`
	Render    []string `json:"render"`    // argv; {in} = the invoice's troff source, {title} = the document title
	PDF       []string `json:"pdf"`       // argv; reads the render's output on stdin, writes the PDF to stdout
	Thumbnail []string `json:"thumbnail"` // argv; {in}, {out}
	MaxUpload int64    `json:"max_upload"`
}

type invoice struct {
	ID       int     `json:"id"`
	Customer string  `json:"customer"`
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
	Due      string  `json:"due"`
	Status   string  `json:"status"`
	Lines    []line  `json:"lines"`
}

type line struct {
	Text   string  `json:"text"`
	Amount float64 `json:"amount"`
}

type app struct {
	cfgPath string
	mu      sync.Mutex
	cfg     settings
	cfgMod  time.Time
	inv     map[int]*invoice
	token   string
}

var (
	pdfCount     = expvar.NewInt("pdf_exports")
	receiptCount = expvar.NewInt("receipts_saved")
	importCount  = expvar.NewInt("imports")
	configFile   = expvar.NewString("config_file")
	startedAt    = expvar.NewString("started_at")
)

// settingsNow rereads the settings when the file changed (the admin edits
// them in place; no restart needed).
func (a *app) settingsNow() (settings, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	st, err := os.Stat(a.cfgPath)
	if err != nil {
		return a.cfg, fmt.Errorf("settings %s: %w", a.cfgPath, err)
	}
	if !st.ModTime().Equal(a.cfgMod) {
		b, err := os.ReadFile(a.cfgPath)
		if err != nil {
			return a.cfg, fmt.Errorf("settings %s: %w", a.cfgPath, err)
		}
		var c settings
		if err := json.Unmarshal(b, &c); err != nil {
			return a.cfg, fmt.Errorf("settings %s: %w", a.cfgPath, err)
		}
		a.cfg, a.cfgMod = c, st.ModTime()
		log.Printf("settings reloaded from %s", a.cfgPath)
	}
	return a.cfg, nil
}

func (a *app) loadInvoices(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "invoices.json"))
	if err != nil {
		return err
	}
	var list []*invoice
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("invoices.json: %w", err)
	}
	a.inv = map[int]*invoice{}
	for _, v := range list {
		a.inv[v.ID] = v
	}
	return nil
}

func (a *app) saveInvoices(dir string) error {
	list := a.sorted()
	b, _ := json.MarshalIndent(list, "", "  ")
	tmp := filepath.Join(dir, ".invoices.json.tmp")
	if err := os.WriteFile(tmp, b, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, "invoices.json"))
}

func (a *app) sorted() []*invoice {
	list := make([]*invoice, 0, len(a.inv))
	for _, v := range a.inv {
		list = append(list, v)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	return list
}

var page = template.Must(template.New("p").Parse(`<!doctype html><html><head><title>{{.Company}} · Ledger</title></head><body>
<h1>{{.Company}} — Ledger</h1>
{{if .Invoice}}{{with .Invoice}}<h2>Invoice {{.ID}}</h2><p>{{.Customer}} · due {{.Due}} · {{.Status}}</p>
<table>{{range .Lines}}<tr><td>{{.Text}}</td><td>{{printf "%.2f" .Amount}}</td></tr>{{end}}</table>
<p>Total {{printf "%.2f" .Amount}} {{.Currency}} · <a href="/invoices/{{.ID}}/pdf">PDF</a></p>{{end}}
{{else}}<table>{{range .Invoices}}<tr><td><a href="/invoices/{{.ID}}">{{.ID}}</a></td><td>{{.Customer}}</td><td>{{printf "%.2f" .Amount}} {{.Currency}}</td><td>{{.Status}}</td></tr>{{end}}</table>{{end}}
</body></html>`))

func (a *app) index(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	cfg, _ := a.settingsNow()
	a.mu.Lock()
	list := a.sorted()
	a.mu.Unlock()
	page.Execute(w, map[string]any{"Company": cfg.Company, "Invoices": list})
}

func (a *app) one(r *http.Request) (*invoice, error) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	v := a.inv[id]
	if v == nil {
		return nil, errors.New("no such invoice")
	}
	c := *v
	return &c, nil
}

func (a *app) invoicePage(w http.ResponseWriter, r *http.Request) {
	v, err := a.one(r)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	cfg, _ := a.settingsNow()
	page.Execute(w, map[string]any{"Company": cfg.Company, "Invoice": v})
}

// fill puts the placeholders into an argv template, one element each (no shell).
func fill(argv []string, vars map[string]string) []string {
	out := make([]string, len(argv))
	for i, s := range argv {
		for k, v := range vars {
			s = strings.ReplaceAll(s, "{"+k+"}", v)
		}
		out[i] = s
	}
	return out
}

func (a *app) invoicePDF(w http.ResponseWriter, r *http.Request) {
	v, err := a.one(r)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	cfg, err := a.settingsNow()
	if err != nil || len(cfg.Render) == 0 || len(cfg.PDF) == 0 {
		http.Error(w, "pdf export not configured", http.StatusInternalServerError)
		return
	}
	title := r.URL.Query().Get("title")
	if title == "" {
		title = fmt.Sprintf("Invoice %d", v.ID)
	}
	src, err := os.CreateTemp("", "ledger-inv-*.tr")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.Remove(src.Name())
	fmt.Fprintf(src, ".ps 14\n%s — Invoice %d\n.br\n.ps 10\n%s, due %s\n.sp\n", cfg.Company, v.ID, v.Customer, v.Due)
	for _, l := range v.Lines {
		fmt.Fprintf(src, "%s  %.2f\n.br\n", l.Text, l.Amount)
	}
	fmt.Fprintf(src, ".sp\nTotal %.2f %s\n", v.Amount, v.Currency)
	src.Close()

	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	vars := map[string]string{"in": src.Name(), "title": title, "id": strconv.Itoa(v.ID)}
	ra, pa := fill(cfg.Render, vars), fill(cfg.PDF, vars)
	render := exec.CommandContext(ctx, ra[0], ra[1:]...)
	conv := exec.CommandContext(ctx, pa[0], pa[1:]...)
	var pdf, errb bytes.Buffer
	pipe, _ := render.StdoutPipe()
	render.Stderr = &errb
	conv.Stdin, conv.Stdout, conv.Stderr = pipe, &pdf, &errb
	if err := render.Start(); err != nil {
		http.Error(w, "render: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if err := conv.Run(); err != nil {
		render.Wait()
		log.Printf("pdf %d: %v: %s", v.ID, err, errb.String())
		http.Error(w, "pdf conversion failed", http.StatusInternalServerError)
		return
	}
	render.Wait()
	pdfCount.Add(1)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=invoice-%d.pdf", v.ID))
	w.Write(pdf.Bytes())
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func (a *app) authorized(r *http.Request) bool {
	return a.token != "" && r.Header.Get("Authorization") == "Bearer "+a.token
}

func (a *app) apiInvoices(w http.ResponseWriter, r *http.Request) {
	cfg, _ := a.settingsNow()
	switch r.Method {
	case http.MethodGet:
		a.mu.Lock()
		list := a.sorted()
		a.mu.Unlock()
		writeJSON(w, 200, list)
	case http.MethodPost:
		if !a.authorized(r) {
			writeJSON(w, 401, map[string]string{"error": "token required"})
			return
		}
		var v invoice
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&v); err != nil || v.Customer == "" {
			writeJSON(w, 400, map[string]string{"error": "bad invoice"})
			return
		}
		a.mu.Lock()
		if v.ID == 0 || a.inv[v.ID] != nil {
			v.ID = 1000 + len(a.inv) + 1
		}
		if v.Status == "" {
			v.Status = "open"
		}
		a.inv[v.ID] = &v
		err := a.saveInvoices(cfg.DataDir)
		a.mu.Unlock()
		if err != nil {
			writeJSON(w, 500, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, 201, v)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

// saveUnder writes body to dir/name. The name is the client's (the
// planted bug: no check that the result stays inside dir).
func saveUnder(dir, name string, body io.Reader, max int64) (string, int64, error) {
	if name == "" {
		return "", 0, errors.New("name required")
	}
	dst := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return "", 0, err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return "", 0, err
	}
	n, err := io.Copy(f, io.LimitReader(body, max))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return dst, n, err
}

func (a *app) apiReceipts(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	cfg, _ := a.settingsNow()
	inv := r.URL.Query().Get("invoice")
	name := r.URL.Query().Get("name")
	dst, n, err := saveUnder(filepath.Join(cfg.DataDir, "receipts"), name, r.Body, cfg.MaxUpload)
	if err != nil {
		writeJSON(w, 400, map[string]string{"error": err.Error()})
		return
	}
	receiptCount.Add(1)
	res := map[string]any{"invoice": inv, "saved": dst, "bytes": n}
	ext := strings.ToLower(filepath.Ext(dst))
	if (ext == ".png" || ext == ".jpg" || ext == ".jpeg") && len(cfg.Thumbnail) > 0 {
		thumb := filepath.Join(cfg.DataDir, "thumbs", strings.TrimSuffix(filepath.Base(dst), ext)+".png")
		ta := fill(cfg.Thumbnail, map[string]string{"in": dst, "out": thumb})
		ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
		out, err := exec.CommandContext(ctx, ta[0], ta[1:]...).CombinedOutput()
		cancel()
		if err != nil {
			log.Printf("thumbnail %s: %v: %s", dst, err, out)
		} else {
			res["thumbnail"] = thumb
		}
	}
	writeJSON(w, 201, res)
}

func (a *app) apiImports(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if !a.authorized(r) {
		writeJSON(w, 401, map[string]string{"error": "token required"})
		return
	}
	cfg, _ := a.settingsNow()
	var req struct{ URL, Name string }
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil || !strings.HasPrefix(req.URL, "http") {
		writeJSON(w, 400, map[string]string{"error": "url and name required"})
		return
	}
	cl := &http.Client{Timeout: 20 * time.Second}
	resp, err := cl.Get(req.URL)
	if err != nil {
		writeJSON(w, 502, map[string]string{"error": err.Error()})
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		writeJSON(w, 502, map[string]string{"error": resp.Status})
		return
	}
	dst, n, err := saveUnder(filepath.Join(cfg.DataDir, "imports"), req.Name, resp.Body, 64<<20)
	if err != nil {
		writeJSON(w, 400, map[string]string{"error": err.Error()})
		return
	}
	importCount.Add(1)
	writeJSON(w, 201, map[string]any{"saved": dst, "bytes": n})
}

type logged struct {
	http.ResponseWriter
	code int
	n    int
}

func (l *logged) WriteHeader(c int) { l.code = c; l.ResponseWriter.WriteHeader(c) }
func (l *logged) Write(b []byte) (int, error) {
	n, err := l.ResponseWriter.Write(b)
	l.n += n
	return n, err
}

func accessLog(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t := time.Now()
		lw := &logged{ResponseWriter: w, code: 200}
		h.ServeHTTP(lw, r)
		log.Printf("%s %s %s %d %d %.3fs %q", r.Header.Get("X-Forwarded-For"), r.Method, r.URL.RequestURI(), lw.code, lw.n, time.Since(t).Seconds(), r.UserAgent())
	})
}

func main() {
	cfgPath := flag.String("config", "/srv/ledger/conf/ledger.json", "settings file")
	listen := flag.String("listen", "127.0.0.1:9061", "address")
	flag.Parse()
	log.SetFlags(log.LstdFlags | log.Lmicroseconds | log.LUTC)
	a := &app{cfgPath: *cfgPath, token: os.Getenv("LEDGER_API_TOKEN")}
	cfg, err := a.settingsNow()
	if err != nil {
		log.Fatal(err)
	}
	if err := a.loadInvoices(cfg.DataDir); err != nil {
		log.Fatalf("invoices: %v", err)
	}
	configFile.Set(*cfgPath)
	startedAt.Set(time.Now().UTC().Format(time.RFC3339))

	mux := http.NewServeMux()
	mux.HandleFunc("/", a.index)
	mux.HandleFunc("GET /invoices/{id}", a.invoicePage)
	mux.HandleFunc("GET /invoices/{id}/pdf", a.invoicePDF)
	mux.HandleFunc("/api/v1/invoices", a.apiInvoices)
	mux.HandleFunc("/api/v1/receipts", a.apiReceipts)
	mux.HandleFunc("/api/v1/imports", a.apiImports)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"status": "ok", "invoices": len(a.inv)})
	})
	mux.Handle("GET /debug/vars", expvar.Handler())
	srv := &http.Server{Addr: *listen, Handler: accessLog(mux), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("ledgerd listening on %s (settings %s)", *listen, *cfgPath)
	log.Fatal(srv.ListenAndServe())
}
