# Hivelog 1.8: hive register and honey sales of the Ashdown Beekeepers'
# Association. Plain Rack (ruby-rack 2.2), ERB views read per request.
require "erb"
require "json"
require "csv"
require "yaml"
require "open3"
require "base64"
require "rack"

module Hivelog
  ROOT   = File.expand_path("..", __dir__)                   # /srv/hivelog/app
  CONF   = "/srv/hivelog/config/settings.yml"
  DATA   = "/srv/hivelog/data"
  LABELS = "/var/lib/hivelog/labels"
  LOG    = "/var/log/hivelog/app.log"

  module Middleware
    @stack = []
    class << self
      attr_reader :stack

      def register(klass)
        @stack << klass unless @stack.include?(klass)
      end
    end
  end

  def self.settings
    YAML.safe_load(File.read(CONF))
  end

  def self.csv(name)
    CSV.read(File.join(DATA, name), headers: true).map(&:to_h)
  end

  def self.log(msg)
    File.open(LOG, "a") { |f| f.puts("#{Time.now.utc.strftime('%FT%T.%3NZ')} [#{Process.pid}] #{msg}") }
  rescue SystemCallError
    nil
  end

  # The JSON-RPC endpoint of the hive map and the members' pages
  # (public/hivelog.js): {"method": "hive_weights", "params": ["H-03"], "id": 1}
  class Rpc
    # never callable from the browser
    BLOCKED = %w[system exec spawn fork eval instance_eval instance_exec class_eval module_eval
                 send __send__ public_send method define_method define_singleton_method open
                 load require require_relative syscall exit exit! abort].freeze

    def initialize(settings)
      @settings = settings
      @data = DATA
    end

    def ping
      "pong"
    end

    def apiary_map
      Hivelog.csv("hives.csv").map { |h| h.slice("id", "apiary", "lat", "lon", "queen") }
    end

    def hive_weights(id)
      h = Hivelog.csv("hives.csv").find { |r| r["id"] == id.to_s } or raise ArgumentError, "no hive #{id}"
      h.select { |k, _| k.start_with?("w_") }.transform_values(&:to_f)
    end

    def season_totals(year = "2026")
      rows = Hivelog.csv("sales.csv").select { |r| r["date"].start_with?(year.to_s) }
      { "jars" => rows.sum { |r| r["jars"].to_i }, "eur" => rows.sum { |r| r["eur"].to_f }.round(2) }
    end

    # the treasurer's monthly export: the month's sales as a gzipped CSV (base64)
    def export_sales(month)
      raise ArgumentError, "month YYYY-MM" unless month.to_s.match?(/\A\d{4}-\d{2}\z/)
      rows = Hivelog.csv("sales.csv").select { |r| r["date"].start_with?(month) }
      csv = CSV.generate { |c| c << %w[date member jars eur]; rows.each { |r| c << r.values_at("date", "member", "jars", "eur") } }
      gz, = Open3.capture2("/bin/gzip", "-c", "-n", stdin_data: csv, binmode: true)
      Base64.strict_encode64(gz)
    end
  end

  class App
    HIVE_ID = /\AH-\d{2}\z/.freeze

    def call(env)
      req = Rack::Request.new(env)
      case [req.request_method, req.path_info]
      when ["GET", "/"] then html(render("index", hives: Hivelog.csv("hives.csv")))
      when ["GET", "/hive"] then hive(req)
      when ["GET", "/label"] then label(req)
      when ["GET", "/healthz"] then healthz
      when ["POST", "/order"] then order(req)
      when ["POST", "/rpc"] then rpc(req)
      else [404, { "Content-Type" => "text/plain" }, ["not found\n"]]
      end
    end

    private

    def render(view, locals)
      inner = ERB.new(File.read(File.join(ROOT, "views", "#{view}.erb")), trim_mode: "-").result_with_hash(locals)
      ERB.new(File.read(File.join(ROOT, "views", "layout.erb")), trim_mode: "-").result_with_hash(body: inner)
    end

    def html(s, status = 200)
      [status, { "Content-Type" => "text/html; charset=utf-8" }, [s]]
    end

    def json(status, obj)
      [status, { "Content-Type" => "application/json" }, [JSON.generate(obj)]]
    end

    def hive(req)
      h = Hivelog.csv("hives.csv").find { |r| r["id"] == req.params["id"] }
      return [404, { "Content-Type" => "text/plain" }, ["no such hive\n"]] unless h
      html(render("hive", hive: h))
    end

    # the jar label of a hive at a width: convert (argv) into the label cache, once per hive and width
    def label(req)
      id, w = req.params["id"].to_s, req.params["w"].to_i
      return [400, {}, ["bad label\n"]] unless id.match?(HIVE_ID) && w.between?(64, 1200)
      out = File.join(LABELS, "#{id}-#{w}.png")
      unless File.exist?(out)
        system("/usr/bin/convert", File.join(DATA, "labels", "jar.png"), "-resize", "#{w}x", out) or
          return [500, {}, ["label failed\n"]]
      end
      [200, { "Content-Type" => "image/png" }, [File.binread(out)]]
    end

    def healthz
      out, st = Open3.capture2e("/bin/df", "-P", "/srv/hivelog")
      [st.success? ? 200 : 503, { "Content-Type" => "text/plain" }, [out]]
    end

    # a jar order: a mail to the sales secretary (sendmail -t -i, the message on stdin)
    def order(req)
      s = Hivelog.settings
      msg = "To: #{s['sales_mail']}\nFrom: shop@ashdown-bees.lab\nSubject: jar order #{req.params['jars'].to_i} x #{req.params['honey']}\n\n" \
            "From: #{req.params['email']}\n#{req.params['message']}\n"
      IO.popen(["/usr/sbin/sendmail", "-t", "-i"], "w") { |io| io.write(msg) }
      html("<p>Thank you, we will be in touch.</p>")
    end

    def rpc(req)
      body = JSON.parse(req.body.read)
      m = body["method"].to_s
      params = Array(body["params"])
      return json(403, "error" => "method not allowed: #{m}") if Rpc::BLOCKED.include?(m) || m.start_with?("_")
      result = Rpc.new(Hivelog.settings).send(m, *params)
      json(200, "jsonrpc" => "2.0", "result" => result, "id" => body["id"])
    rescue JSON::ParserError, NoMethodError, ArgumentError, TypeError => e
      json(400, "error" => e.message.lines.first.to_s.strip)
    end
  end
end
