# Shipnotes search index: one JSON file of every release note's words.
# Required by /srv/ship/bin/ship-reindex (run as root by sudo from the admin
# page; the app's own code tree is owned by svc-ship).
require 'json'

module Ship
  module Indexer
    def self.run(notes, out)
      idx = {}
      Dir.glob(File.join(notes, '*.md')).sort.each do |f|
        v = File.basename(f, '.md')
        File.read(f).downcase.scan(/[a-z][a-z0-9_-]{2,}/).uniq.each { |w| (idx[w] ||= []) << v }
      end
      File.write(out, JSON.generate(idx))
      puts "indexed #{idx.size} words"
    end
  end
end
