# Request log of the app (/var/log/hivelog/app.log): method, path, status, ms.
module Hivelog
  class RequestLog
    def initialize(app)
      @app = app
    end

    def call(env)
      t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      status, headers, body = @app.call(env)
      ms = ((Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0) * 1000).round(1)
      Hivelog.log("#{env['REQUEST_METHOD']} #{env['PATH_INFO']} #{status} #{ms}ms")
      [status, headers, body]
    end
  end
  Middleware.register(RequestLog)
end
