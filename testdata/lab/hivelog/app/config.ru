# Hivelog: the Rack app of the Ashdown Beekeepers' Association (hive register,
# honey sales). Served by unicorn (config: /srv/hivelog/config/unicorn.rb);
# with preload_app false every worker loads this file after the fork.
$LOAD_PATH.unshift File.join(__dir__, "lib")
require "hivelog"

# site middleware: every lib/middleware/*.rb registers itself (load order = file name)
Dir[File.join(__dir__, "lib", "middleware", "*.rb")].sort.each { |f| require f }
Hivelog::Middleware.stack.each { |m| use m }

run Hivelog::App.new
