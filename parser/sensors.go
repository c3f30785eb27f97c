package parser

import "github.com/auditchain/auditchain/parser/internal/sensor"

// The sensor formats (Tetragon, Falco, cloud_defend, k8s audit, Sysmon)
// live in parser/internal/sensor; these adapt them to the format table and
// to Input, which they do not know.

func sniffTetragon(line []byte) bool { return sensor.SniffTetragon(line) }
func sniffFalco(line []byte) bool    { return sensor.SniffFalco(line) }
func sniffK8sAudit(line []byte) bool { return sensor.SniffK8sAudit(line) }
func sniffSysmon(line []byte) bool   { return sensor.SniffSysmon(line) }

// sniffCloudDefend refuses a shipper's document that wraps a record of
// another format: that is an envelope, whatever ECS fields it has.
func sniffCloudDefend(line []byte) bool { return sensor.SniffCloudDefend(line, wrapsOtherFormat) }

func newTetragonDecoder(in *Input, _ *Options) decoder {
	return sensor.NewTetragon(flushReporter(in))
}

func newCloudDefendDecoder(in *Input, _ *Options) decoder {
	return sensor.NewCloudDefend(flushReporter(in))
}

func newFalcoDecoder(*Input, *Options) decoder    { return sensor.NewFalco() }
func newK8sAuditDecoder(*Input, *Options) decoder { return sensor.NewK8sAudit() }
func newSysmonDecoder(*Input, *Options) decoder   { return sensor.NewSysmon() }
