// herbard: the specimen catalogue of a small herbarium (lab stack of
// scenario-benign-herbar). A plain net/http server on 127.0.0.1:9131 behind
// Apache's mod_proxy; it shells out the way Go services do: exec.Command
// with an argv array (no shell) for thumbnails, git (the curators' wiki),
// tar (exports, loan imports), file, sendmail, rsync over ssh (the off-site
// copy), and /bin/sh -c for the two features whose developer wanted a pipe.
package main

import (
	"bufio"
	"bytes"
	"crypto/subtle"
	"expvar"
	"fmt"
	"html"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

var (
	root      = env("HERBAR_ROOT", "/srv/herbar")
	listen    = env("HERBAR_LISTEN", "127.0.0.1:9131")
	adminTok  = os.Getenv("HERBAR_ADMIN_TOKEN")
	offsite   = env("HERBAR_OFFSITE", "labremote@127.0.0.1:herbar-offsite/")
	offsiteKy = env("HERBAR_OFFSITE_KEY", "/home/herbar/.ssh/id_offsite")
	every     = env("HERBAR_BACKUP_EVERY", "60s")

	execs   = expvar.NewMap("execs")
	backups = expvar.NewInt("backups")
	wikiMu  sync.Mutex
	alnum   = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	applog  *log.Logger
)

func env(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}

// run executes one argv (no shell) and logs it; out is its stdout+stderr.
func run(name string, args ...string) ([]byte, error) {
	execs.Add(filepath.Base(name), 1)
	cmd := exec.Command(name, args...)
	out, err := cmd.CombinedOutput()
	applog.Printf("exec %s %q -> %v", name, args, err)
	return out, err
}

func main() {
	f, err := os.OpenFile(filepath.Join(root, "log/herbard.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		log.Fatal(err)
	}
	applog = log.New(f, "", log.LstdFlags|log.LUTC|log.Lmicroseconds)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", index)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /specimens/{id}", specimen)
	mux.HandleFunc("POST /specimens/{id}/scans", scanUpload)
	mux.HandleFunc("GET /specimens/{id}/label.pdf", label)
	mux.HandleFunc("GET /wiki/{page}", wikiPage)
	mux.HandleFunc("POST /wiki/{page}", wikiEdit)
	mux.HandleFunc("GET /wiki/{page}/history", wikiHistory)
	mux.HandleFunc("GET /export", export)
	mux.HandleFunc("POST /loans/upload", loanUpload)
	mux.HandleFunc("POST /contact", contact)
	mux.HandleFunc("GET /admin/status", admin(status))
	mux.HandleFunc("POST /admin/backup", admin(func(w http.ResponseWriter, r *http.Request) {
		if err := backup(); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		io.WriteString(w, "backup done\n")
	}))
	mux.Handle("GET /debug/vars", expvar.Handler())
	d, _ := time.ParseDuration(every)
	go func() {
		for range time.Tick(d) {
			if err := backup(); err != nil {
				applog.Printf("backup: %v", err)
			}
		}
	}()
	applog.Printf("herbard listening on %s", listen)
	log.Fatal(http.ListenAndServe(listen, mux))
}

func admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if adminTok == "" || subtle.ConstantTimeCompare([]byte(r.Header.Get("X-Herbar-Admin")), []byte(adminTok)) != 1 {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		h(w, r)
	}
}

func page(w http.ResponseWriter, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!doctype html><title>%s – Herbarium</title><link rel=stylesheet href=/static/herbar.css><h1>%s</h1>%s\n",
		html.EscapeString(title), html.EscapeString(title), body)
}

// records: data/records/<family>/<id>.txt, one specimen each
func records() map[string]string {
	m := map[string]string{}
	fams, _ := os.ReadDir(filepath.Join(root, "data/records"))
	for _, f := range fams {
		ids, _ := os.ReadDir(filepath.Join(root, "data/records", f.Name()))
		for _, i := range ids {
			m[strings.TrimSuffix(i.Name(), ".txt")] = f.Name()
		}
	}
	return m
}

func index(w http.ResponseWriter, r *http.Request) {
	m := records()
	var ids []string
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	b.WriteString("<ul>")
	for _, id := range ids {
		fmt.Fprintf(&b, "<li><a href=/specimens/%s>%s</a> (%s)", id, id, m[id])
	}
	b.WriteString("</ul>")
	page(w, "Specimen catalogue", b.String())
}

func record(id string) (string, string, bool) {
	if !alnum.MatchString(id) {
		return "", "", false
	}
	fam, ok := records()[id]
	if !ok {
		return "", "", false
	}
	b, err := os.ReadFile(filepath.Join(root, "data/records", fam, id+".txt"))
	return fam, string(b), err == nil
}

func specimen(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	fam, text, ok := record(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	thumbs, _ := filepath.Glob(filepath.Join(root, "public/thumbs", id+"-*.jpg"))
	var b strings.Builder
	fmt.Fprintf(&b, "<p>%s</p><pre>%s</pre>", fam, html.EscapeString(text))
	for _, t := range thumbs {
		fmt.Fprintf(&b, "<img src=/thumbs/%s>", filepath.Base(t))
	}
	page(w, "Specimen "+id, b.String())
}

// scanUpload stores a specimen scan under its uploaded name and makes the
// catalogue's thumbnail (served by Apache from public/thumbs)
func scanUpload(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, _, ok := record(id); !ok {
		http.NotFound(w, r)
		return
	}
	f, hdr, err := r.FormFile("scan")
	if err != nil {
		http.Error(w, "no scan", 400)
		return
	}
	defer f.Close()
	dir := filepath.Join(root, "data/scans", id)
	os.MkdirAll(dir, 0o750)
	name := filepath.Base(hdr.Filename)
	dst := filepath.Join(dir, name)
	out, err := os.Create(dst)
	if err != nil {
		http.Error(w, "store", 500)
		return
	}
	io.Copy(out, f)
	out.Close()
	n, _ := filepath.Glob(filepath.Join(root, "public/thumbs", id+"-*.jpg"))
	thumb := filepath.Join(root, "public/thumbs", fmt.Sprintf("%s-%d.jpg", id, len(n)+1))
	size := r.FormValue("size")
	if !regexp.MustCompile(`^\d{2,4}$`).MatchString(size) {
		size = "480"
	}
	if o, err := run("/usr/bin/convert", dst+"[0]", "-auto-orient", "-resize", size+"x"+size+">", "-strip", "-quality", "82", thumb); err != nil {
		http.Error(w, "thumbnail: "+string(o), 500)
		return
	}
	w.WriteHeader(201)
	fmt.Fprintf(w, "stored %s\n", name)
}

// label renders the herbarium sheet's label: a groff file piped to ps2pdf
// (the developer wanted the pipe, hence the shell)
func label(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	fam, text, ok := record(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	tr, err := os.CreateTemp("", "herbar-label-*.tr")
	if err != nil {
		http.Error(w, "tmp", 500)
		return
	}
	defer os.Remove(tr.Name())
	fmt.Fprintf(tr, ".ps 14\n.ft B\nHERBARIUM – %s\n.br\n.ft R\n.ps 10\n%s\n.br\n", fam, id)
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		fmt.Fprintf(tr, "%s\n.br\n", strings.TrimLeft(sc.Text(), ".'"))
	}
	tr.Close()
	pdf := filepath.Join(root, "data/labels", id+".pdf")
	os.MkdirAll(filepath.Dir(pdf), 0o750)
	if o, err := run("/bin/sh", "-c", "groff -Tps "+tr.Name()+" | ps2pdf - "+pdf); err != nil {
		http.Error(w, "label: "+string(o), 500)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	http.ServeFile(w, r, pdf)
}

func wikiFile(p string) (string, bool) {
	if !alnum.MatchString(p) {
		return "", false
	}
	return filepath.Join(root, "wiki", p+".md"), true
}

func wikiPage(w http.ResponseWriter, r *http.Request) {
	f, ok := wikiFile(r.PathValue("page"))
	b, err := os.ReadFile(f)
	if !ok || err != nil {
		http.NotFound(w, r)
		return
	}
	page(w, r.PathValue("page"), "<pre>"+html.EscapeString(string(b))+"</pre>")
}

// wikiEdit saves a curator's page and commits it to the wiki's repository
func wikiEdit(w http.ResponseWriter, r *http.Request) {
	p := r.PathValue("page")
	f, ok := wikiFile(p)
	author := r.FormValue("author")
	if !ok || !regexp.MustCompile(`^[A-Za-z .-]{2,40}$`).MatchString(author) {
		http.Error(w, "bad page or author", 400)
		return
	}
	wikiMu.Lock()
	defer wikiMu.Unlock()
	if err := os.WriteFile(f, []byte(r.FormValue("text")+"\n"), 0o640); err != nil {
		http.Error(w, "write", 500)
		return
	}
	wd := filepath.Join(root, "wiki")
	if o, err := run("/usr/bin/git", "-C", wd, "add", "--", p+".md"); err != nil {
		http.Error(w, string(o), 500)
		return
	}
	msg := r.FormValue("summary")
	if msg == "" {
		msg = "edit " + p
	}
	email := strings.ToLower(strings.ReplaceAll(author, " ", ".")) + "@herbarium.lab.local"
	o, err := run("/usr/bin/git", "-C", wd, "-c", "user.name="+author, "-c", "user.email="+email, "commit", "-q", "-m", msg, "--", p+".md")
	if err != nil && !bytes.Contains(o, []byte("nothing to commit")) {
		http.Error(w, string(o), 500)
		return
	}
	http.Redirect(w, r, "/wiki/"+p, http.StatusSeeOther)
}

func wikiHistory(w http.ResponseWriter, r *http.Request) {
	p := r.PathValue("page")
	if _, ok := wikiFile(p); !ok {
		http.NotFound(w, r)
		return
	}
	o, err := run("/usr/bin/git", "-C", filepath.Join(root, "wiki"), "log", "-n", "10", "--format=%h %an %ar: %s", "--", p+".md")
	if err != nil {
		http.Error(w, string(o), 500)
		return
	}
	page(w, "History of "+p, "<pre>"+html.EscapeString(string(o))+"</pre>")
}

// export: a family's records as a tar.gz (argv tar)
func export(w http.ResponseWriter, r *http.Request) {
	fam := r.URL.Query().Get("family")
	if !alnum.MatchString(fam) {
		http.Error(w, "family?", 400)
		return
	}
	if _, err := os.Stat(filepath.Join(root, "data/records", fam)); err != nil {
		http.NotFound(w, r)
		return
	}
	out := filepath.Join(root, "data/exports", fmt.Sprintf("%s-%s.tar.gz", fam, time.Now().UTC().Format("20060102T150405.000")))
	if o, err := run("/usr/bin/tar", "-czf", out, "-C", filepath.Join(root, "data/records"), fam); err != nil {
		http.Error(w, string(o), 500)
		return
	}
	w.Header().Set("Content-Disposition", "attachment; filename="+filepath.Base(out))
	http.ServeFile(w, r, out)
}

// loanUpload: a partner institution's loan paperwork or a batch of scans
// (tar.gz, listed first: no absolute name, no ..)
func loanUpload(w http.ResponseWriter, r *http.Request) {
	inst := r.FormValue("institution")
	if !alnum.MatchString(inst) {
		http.Error(w, "institution?", 400)
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		http.Error(w, "no file", 400)
		return
	}
	defer f.Close()
	dir := filepath.Join(root, "data/loans", inst)
	os.MkdirAll(dir, 0o750)
	dst := filepath.Join(dir, filepath.Base(hdr.Filename))
	out, err := os.Create(dst)
	if err != nil {
		http.Error(w, "store", 500)
		return
	}
	io.Copy(out, f)
	out.Close()
	if strings.HasSuffix(dst, ".tar.gz") || strings.HasSuffix(dst, ".tgz") {
		list, err := run("/usr/bin/tar", "-tzf", dst)
		if err != nil {
			http.Error(w, "not a tar.gz", 400)
			return
		}
		for _, n := range strings.Split(strings.TrimSpace(string(list)), "\n") {
			if strings.HasPrefix(n, "/") || strings.Contains(n, "..") {
				http.Error(w, "bad member "+n, 400)
				return
			}
		}
		x := strings.TrimSuffix(strings.TrimSuffix(dst, ".tgz"), ".tar.gz")
		os.MkdirAll(x, 0o750)
		if o, err := run("/usr/bin/tar", "-xzf", dst, "-C", x, "--no-same-owner"); err != nil {
			http.Error(w, string(o), 500)
			return
		}
		fmt.Fprintf(w, "unpacked %d files\n", strings.Count(string(list), "\n"))
		return
	}
	o, _ := run("/usr/bin/file", "--brief", "--mime-type", dst)
	fmt.Fprintf(w, "stored %s (%s)\n", filepath.Base(dst), strings.TrimSpace(string(o)))
}

// contact: a visitor's question mailed to the curators (argv sendmail, mail on stdin)
func contact(w http.ResponseWriter, r *http.Request) {
	from := r.FormValue("email")
	if !strings.Contains(from, "@") || strings.ContainsAny(from, "\r\n") {
		http.Error(w, "email?", 400)
		return
	}
	cmd := exec.Command("/usr/sbin/sendmail", "-t", "-i")
	cmd.Stdin = strings.NewReader(fmt.Sprintf("To: curators@herbarium.lab.local\nReply-To: %s\nSubject: question from the website\n\n%s\n", from, r.FormValue("message")))
	execs.Add("sendmail", 1)
	err := cmd.Run()
	applog.Printf("exec sendmail -t -i -> %v", err)
	io.WriteString(w, "thank you\n")
}

// status: the admin page (uptime, disk, wiki size) in one shell line
func status(w http.ResponseWriter, r *http.Request) {
	o, _ := run("/bin/sh", "-c", "uptime; df -h "+root+" | tail -n 1; git -C "+root+"/wiki rev-list --count HEAD")
	page(w, "Status", "<pre>"+html.EscapeString(string(o))+"</pre>")
}

var backupMu sync.Mutex

// backup: the wiki and the records to the off-site host (rsync over ssh)
func backup() error {
	backupMu.Lock()
	defer backupMu.Unlock()
	o, err := run("/usr/bin/rsync", "-a", "--delete", "-e", "ssh -i "+offsiteKy+" -o BatchMode=yes -o StrictHostKeyChecking=accept-new",
		filepath.Join(root, "wiki"), filepath.Join(root, "data/records"), offsite)
	if err != nil {
		return fmt.Errorf("rsync: %v: %s", err, o)
	}
	backups.Add(1)
	return nil
}
