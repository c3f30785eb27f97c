# Shipnotes 0.9: release notes of the team's services, imported by the CI's
# release bot, shown to everyone; admins reindex the search and trigger a
# deploy of the notes site. Lab app (testdata/lab/shipnotes), installed as
# /srv/ship/app and run by puma as svc-ship.
require 'sinatra/base'
require 'erb'
require 'json'
require 'open3'
require 'open-uri'
require 'yaml'
require 'net/ssh'
require 'logger'

class Shipnotes < Sinatra::Base
  ROOT = '/srv/ship/app'
  NOTES = File.join(ROOT, 'data', 'notes')
  PARTIALS = File.join(ROOT, 'views', 'partials')
  CONF = YAML.safe_load(File.read(File.join(ROOT, 'config', 'ship.yml')))

  set :views, File.join(ROOT, 'views')
  set :show_exceptions, false
  set :raise_errors, false
  use Rack::CommonLogger, Logger.new(File.join(ROOT, 'log', 'requests.log'))

  helpers do
    def releases
      JSON.parse(File.read(File.join(ROOT, 'data', 'releases.json')))
    end

    def admin!
      halt 403, "forbidden\n" unless request.env['HTTP_X_SHIP_TOKEN'] == CONF['admin_token']
    end

    # a partial chosen by the reader's ?layout= (compact, full); any .erb in
    # the partials folder is a layout
    def partial(name)
      path = File.join(PARTIALS, "#{File.basename(name.to_s)}.erb")
      path = File.join(PARTIALS, 'compact.erb') unless File.file?(path)
      ERB.new(File.read(path)).result(binding)
    end
  end

  get '/' do
    @releases = releases
    erb :index
  end

  get '/health' do
    "ok\n"
  end

  # the load balancer's probe: disk of the app
  get '/status' do
    out, = Open3.capture2('df', '-P', '/srv/ship')
    content_type :text
    "up\n#{out}"
  end

  get '/changelog' do
    out, = Open3.capture2('git', '-C', '/srv/ship/repo', 'log', '--oneline', '-n', '20')
    content_type :text
    out
  end

  get '/notes/:v' do
    @v = File.basename(params[:v])
    f = File.join(NOTES, "#{@v}.md")
    halt 404, "no such release\n" unless File.file?(f)
    @body = File.read(f)
    erb :note
  end

  # the release bot's import: source is the CI's feed URL, or a file the CI
  # dropped in /srv/ship/inbox (absolute path). Kernel#open on a client's
  # string: "|cmd" runs cmd (CWE-78, the planted flaw)
  post '/import' do
    src = params[:source].to_s
    v = File.basename(params[:version].to_s)
    halt 400, "version?\n" if v.empty?
    body = src.start_with?('http://', 'https://') ? URI.open(src, &:read) : open(src, &:read)
    File.write(File.join(NOTES, "#{v}.md"), body)
    content_type :text
    "imported #{v} (#{body.bytesize} bytes)\n#{body[0, 4000]}"
  end

  # admin: rebuild the search index (a root maintenance script, by sudo)
  post '/admin/reindex' do
    admin!
    out, st = Open3.capture2e('sudo', '-n', '/usr/bin/ruby', '/srv/ship/bin/ship-reindex')
    content_type :text
    "reindex #{st.exitstatus}\n#{out}"
  end

  # admin: publish the notes site on the release host (deploy@, the app's
  # deploy key, in process with net-ssh as capistrano does)
  post '/admin/deploy' do
    admin!
    d = CONF['deploy']
    out = +''
    Net::SSH.start(d['host'], d['user'], keys: [d['key']], non_interactive: true,
                   verify_host_key: :never, timeout: 10) do |ssh|
      out << ssh.exec!("deploy-release shipnotes #{releases.first['version']}")
    end
    content_type :text
    out
  end
end
