# Shipnotes: the team's release-notes portal (Sinatra on puma, behind haproxy)
require_relative 'app'
run Shipnotes
