vcl 4.1;
# The shop's page cache for the advent sale (Varnish on 127.0.0.1:6081, in
# front of nginx on 127.0.0.1:80). The shop's PHP bans changed pages with a
# BAN request carrying the purge token.
import std;

backend shop {
    .host = "127.0.0.1";
    .port = "80";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = {
        .url = "/img/logo.png";
        .interval = 15s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
    }
}

acl purgers {
    "127.0.0.1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ purgers || req.http.X-Purge-Token != "adv26-7c41e0b9") {
            return (synth(403, "Forbidden"));
        }
        ban("req.url ~ " + req.http.X-Ban-Url);
        return (synth(200, "Ban added"));
    }
    if (req.method == "PURGE") {
        return (synth(405, "Not allowed"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin/|redeem\.php|contact\.php|status\.php)") {
        return (pass);
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    if (bereq.url ~ "^/advent\.php") {
        set beresp.ttl = 2m;
        set beresp.grace = 30s;
    } elsif (bereq.url ~ "\.(png|jpg|css|js)$") {
        set beresp.ttl = 1h;
    } else {
        set beresp.ttl = 1m;
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
