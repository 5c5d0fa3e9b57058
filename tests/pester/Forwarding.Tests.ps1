#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Send-ScoutAuditEvent against a real OTLP/HTTP receiver on loopback: every event at least once,
# the checkpoint moved only by acknowledgements, retries told as warnings, refusals as errors.

Describe 'Send-ScoutAuditEvent' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/OtlpReceiver.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force
    }

    AfterAll {
        Remove-Module ScoutAudit, OtlpReceiver -ErrorAction SilentlyContinue
    }

    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'audit.jsonl'
        $receiver = $null
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
        if ($receiver) { Stop-OtlpReceiver $receiver }
    }

    It 'delivers every event once over a rotation, maps the fields, and a second run sends only the new ones' {
        $receiver = Start-OtlpReceiver
        Write-ScoutAuditEvent nav -Model gpt-4o-mini -InputTokens 1200 -OutputTokens 80 -Cost 0.0004 -SessionId s1 -Files a.py, b.py -Reason 'why' -Path $log
        1..5 | ForEach-Object { Write-ScoutAuditEvent validation_fail -Reason "r$_" -SessionId s1 -Path $log }
        $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false
        1..4 | ForEach-Object { Write-ScoutAuditEvent deep -Property @{ step = $_ } -Path $log }

        $first = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -BatchSize 4 -Header @{ Authorization = 'Bearer t0ken' } -ServiceName runbooks

        $events = Get-ScoutAuditEvent -Path $log
        $records = @(Get-OtlpRecord $receiver)
        $records.Attributes.ForEach({ $_['scout.id'] }) | Should -Be $events.Id
        $first.Sent | Should -Be 10
        $first.Batches | Should -Be 3
        $first.LastId | Should -Be $events[-1].Id
        (Get-OtlpRequest $receiver).Path | Sort-Object -Unique | Should -Be '/v1/logs'
        (Get-OtlpRequest $receiver).Authorization | Sort-Object -Unique | Should -Be 'Bearer t0ken'
        $nav = $records[0]
        $nav.EventName | Should -Be 'nav'
        $nav.Attributes['event.name'] | Should -Be 'nav'
        $nav.Attributes['session.id'] | Should -Be 's1'
        $nav.Attributes['gen_ai.request.model'] | Should -Be 'gpt-4o-mini'
        $nav.Attributes['gen_ai.usage.input_tokens'] | Should -Be 1200
        $nav.Attributes['gen_ai.usage.output_tokens'] | Should -Be 80
        $nav.Attributes['scout.cost'] | Should -Be 0.0004
        $nav.Attributes['scout.files'] | Should -Be 'a.py', 'b.py'
        $records[-1].Attributes['scout.extra.step'] | Should -Be 4
        ($nav.Resource.attributes | Where-Object key -eq 'service.name').value.stringValue | Should -Be 'runbooks'

        Write-ScoutAuditEvent nav -Reason 'later' -Path $log
        $second = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log
        $second.Sent | Should -Be 1
        (Get-OtlpRecord $receiver)[-1].Attributes['scout.reason'] | Should -Be 'later'
        @(Get-OtlpRecord $receiver).Count | Should -Be 11
    }

    It 'sends several logs one after the other, each from a checkpoint of its own' {
        $receiver = Start-OtlpReceiver
        $other = Join-Path $folder 'other.jsonl'
        1..2 | ForEach-Object { Write-ScoutAuditEvent nav -Reason "first log $_" -Path $log }
        Write-ScoutAuditEvent nav -Reason 'other log' -Path $other

        $results = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log, $other

        $results.Path | Should -Be $log, $other
        $results.Sent | Should -Be 2, 1
        $results[0].CheckpointPath | Should -BeLike "$log.forward-*.json"
        $results[1].CheckpointPath | Should -BeLike "$other.forward-*.json"
        (Get-OtlpRecord $receiver).ForEach({ $_.Attributes['scout.log'] }) | Should -Be $log, $log, $other
        Write-ScoutAuditEvent nav -Reason 'later' -Path $other
        (Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log, $other).Sent | Should -Be 0, 1
        Close-ScoutAuditLog -Path $other
    }

    It 'sends each log a wildcard matches once, and a name with [ given as -LiteralPath' {
        $receiver = Start-OtlpReceiver
        $bracketed = Join-Path $folder 'team[1].jsonl'
        Write-ScoutAuditEvent nav -Reason 'audit' -Path $log
        Write-ScoutAuditEvent nav -Reason 'team' -Path $bracketed
        $pattern = Join-Path $folder '*.jsonl'

        (Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $pattern, $pattern).Path | Should -Be $log, $bracketed
        Write-ScoutAuditEvent nav -Reason 'team later' -Path $bracketed
        (Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -LiteralPath $bracketed).Sent | Should -Be 1
        Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $bracketed -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty -Because '[1] is a wildcard matching team1.jsonl'
        $failed[0].FullyQualifiedErrorId | Should -Be 'AuditLogNotFound,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand'
        (Get-OtlpRecord $receiver).ForEach({ $_.Attributes['scout.reason'] }) | Should -Be 'audit', 'team', 'team later'
        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $pattern -Wait -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidForwarding,*' -ExpectedMessage '*-Wait follows one log; got 2 logs*'
        Close-ScoutAuditLog -LiteralPath $bracketed
    }

    It 'refuses -Wait and -CheckpointPath with more than one log, before sending anything' {
        $receiver = Start-OtlpReceiver
        $other = Join-Path $folder 'other.jsonl'
        Write-ScoutAuditEvent nav -Path $log
        Write-ScoutAuditEvent nav -Path $other
        Close-ScoutAuditLog -Path $other

        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log, $other -Wait -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage '*-Wait follows one log; got 2*'
        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log, $other -CheckpointPath (Join-Path $folder 'forward.json') -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage '*-CheckpointPath keeps the checkpoint of one log; got 2*'
        @(Get-OtlpRequest $receiver).Count | Should -Be 0
    }

    It 'waits out a collector that answers 503 and 429, with a warning for each retry, and loses nothing' {
        $receiver = Start-OtlpReceiver -Script @{ Status = 503; RetryAfter = 1 }, @{ Status = 429; RetryAfter = 1 }
        1..3 | ForEach-Object { Write-ScoutAuditEvent nav -InputTokens $_ -Path $log }

        $result = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -WarningVariable retries -WarningAction SilentlyContinue

        $result.Sent | Should -Be 3
        $retries.Count | Should -Be 2
        $retries[0].Message | Should -Match "failed \(503 .*retrying in 1 s"
        $retries[1].Message | Should -Match "failed \(429 .*retrying in 1 s"
        $requests = Get-OtlpRequest $receiver
        $requests.Status | Should -Be 503, 429, 200
        ($requests[1].At - $requests[0].At).TotalMilliseconds | Should -BeGreaterOrEqual 900 -Because 'Retry-After is honoured'
        (Get-OtlpRecord $receiver).ForEach({ $_.Attributes['gen_ai.usage.input_tokens'] }) | Should -Be 1, 2, 3
    }

    It 'stops on a 400 with the collector''s message, keeps the checkpoint, and the next run sends the batch again' {
        $receiver = Start-OtlpReceiver -Script @{ Status = 400; Body = '{"code":3,"message":"attribute limit exceeded"}' }
        1..2 | ForEach-Object { Write-ScoutAuditEvent nav -InputTokens $_ -Path $log }

        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -ErrorAction Stop } |
            Should -Throw -ErrorId 'ForwardingFailed,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage '*400*attribute limit exceeded*'
        $again = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log

        $again.Sent | Should -Be 2
        (Get-OtlpRecord $receiver).ForEach({ $_.Attributes['gen_ai.usage.input_tokens'] }) | Should -Be 1, 2
    }

    It 'reports the records a collector rejected as an error and does not send them again' {
        $receiver = Start-OtlpReceiver -Script @{ Status = 200; Body = '{"partialSuccess":{"rejectedLogRecords":"1","errorMessage":"too old"}}' }
        1..2 | ForEach-Object { Write-ScoutAuditEvent nav -InputTokens $_ -Path $log }

        $result = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -ErrorVariable rejected -ErrorAction SilentlyContinue

        $result.Rejected | Should -Be 1
        $rejected[0].FullyQualifiedErrorId | Should -Be 'RecordsRejected,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand'
        $rejected[0].Exception.Message | Should -Match 'rejected 1 of their 2 records: too old'
        (Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log).Sent | Should -Be 0
    }

    It 'shows a collector''s error message with its control characters made visible' {
        # A hostile collector's reason: a window title, a clear screen and a right-to-left override.
        $body = '{"partialSuccess":{"rejectedLogRecords":"1","errorMessage":"\u001b]0;owned\u0007 \u001b[2J \u202Eeulav"}}'
        $receiver = Start-OtlpReceiver -Script @{ Status = 200; Body = $body }
        Write-ScoutAuditEvent nav -Path $log

        $null = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -ErrorVariable rejected -ErrorAction SilentlyContinue

        $shown = "$($rejected[0])" # what the host prints: the record's ErrorDetails, else its exception's message
        $shown | Should -Not -Match '[\u0000-\u001F\u007F\u202A-\u202E]'
        $shown | Should -Match ([regex]::Escape("records: `u{FFFD}]0;owned`u{FFFD} `u{FFFD}[2J `u{FFFD}eulav"))
    }

    It 'follows the log with -Wait until stopped, sending each new event' {
        $receiver = Start-OtlpReceiver
        Write-ScoutAuditEvent nav -Reason 'before' -Path $log
        $forwarder = [powershell]::Create()
        $null = $forwarder.AddScript({
                param($module, $endpoint, $log)
                Import-Module $module
                Send-ScoutAuditEvent -Endpoint $endpoint -Path $log -Wait
            }).AddArgument((Get-ScoutAuditModulePath)).AddArgument($receiver.Endpoint).AddArgument($log)
        $handle = $forwarder.BeginInvoke()
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while (@(Get-OtlpRecord $receiver).Count -lt 1 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Write-ScoutAuditEvent nav -Reason 'after' -Path $log
            $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false
            Write-ScoutAuditEvent nav -Reason 'after the rotation' -Path $log
            while (@(Get-OtlpRecord $receiver).Count -lt 3 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        }
        finally {
            $forwarder.Stop()
            $forwarder.Dispose()
        }

        (Get-OtlpRecord $receiver).ForEach({ $_.Attributes['scout.reason'] }) | Should -Be 'before', 'after', 'after the rotation'
    }

    It 'takes the endpoint, headers and compression from OpenTelemetry''s environment variables, and says what is missing' {
        $receiver = Start-OtlpReceiver
        Write-ScoutAuditEvent nav -Path $log
        $saved = $env:OTEL_EXPORTER_OTLP_ENDPOINT, $env:OTEL_EXPORTER_OTLP_HEADERS, $env:OTEL_EXPORTER_OTLP_COMPRESSION
        try {
            $env:OTEL_EXPORTER_OTLP_ENDPOINT = $null
            { Send-ScoutAuditEvent -Path $log -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage '*No endpoint: give -Endpoint*OTEL_EXPORTER_OTLP_ENDPOINT*'
            $env:OTEL_EXPORTER_OTLP_ENDPOINT = $receiver.Endpoint
            $env:OTEL_EXPORTER_OTLP_HEADERS = 'Authorization=Bearer%20from-env'
            $env:OTEL_EXPORTER_OTLP_COMPRESSION = 'gzip'
            (Send-ScoutAuditEvent -Path $log).Sent | Should -Be 1
            Write-ScoutAuditEvent nav -Reason 'plain' -Path $log
            (Send-ScoutAuditEvent -Path $log -Compression None).Sent | Should -Be 1
        }
        finally {
            $env:OTEL_EXPORTER_OTLP_ENDPOINT, $env:OTEL_EXPORTER_OTLP_HEADERS, $env:OTEL_EXPORTER_OTLP_COMPRESSION = $saved
        }
        (Get-OtlpRequest $receiver).Authorization | Should -Be 'Bearer from-env', 'Bearer from-env'
        (Get-OtlpRequest $receiver).Encoding | Should -Be 'gzip', $null
        (Get-OtlpRecord $receiver)[-1].Attributes['scout.reason'] | Should -Be 'plain'
    }

    It 'refuses a header it cannot send, before sending anything' {
        $receiver = Start-OtlpReceiver
        Write-ScoutAuditEvent nav -Path $log

        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Header @{ 'Content-Type' = 'text/plain' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*'Content-Type' cannot be sent as a request header*"
        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Header @{ Authorization = 1, 2 } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*-Header 'Authorization' must be text*"
        @(Get-OtlpRequest $receiver).Count | Should -Be 0
    }

    It 'stops, sending nothing, when the log was deleted and begun again after its checkpoint' {
        $receiver = Start-OtlpReceiver
        1..3 | ForEach-Object { Write-ScoutAuditEvent nav -Reason "first log $_" -Path $log }
        (Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log).Sent | Should -Be 3
        Close-ScoutAuditLog -Path $log
        Remove-Item -LiteralPath $log
        Write-ScoutAuditEvent nav -Reason 'the new log' -Path $log

        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -ErrorAction Stop } |
            Should -Throw -ErrorId 'ForwardingCheckpointAhead,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage '*acknowledged the events up to id*but the log*ends at id*Delete the checkpoint*'
        @(Get-OtlpRecord $receiver).Count | Should -Be 3
    }

    It 'refuses a checkpoint file it cannot trust, naming it' {
        $receiver = Start-OtlpReceiver
        Write-ScoutAuditEvent nav -Path $log
        $checkpoint = Join-Path $folder 'forward.json'
        Set-Content -LiteralPath $checkpoint -Value 'not json'

        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -CheckpointPath $checkpoint -ErrorAction Stop } |
            Should -Throw -ErrorId 'ForwardingCheckpointUnreadable,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*$checkpoint*"
        @(Get-OtlpRequest $receiver).Count | Should -Be 0
    }

    It 'sends http/protobuf by default, as the OpenTelemetry specification says, and http/json with -Protocol' {
        $receiver = Start-OtlpReceiver
        Write-ScoutAuditEvent nav -Reason 'protobuf' -Path $log
        (Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log).Sent | Should -Be 1
        Write-ScoutAuditEvent nav -Reason 'json' -Path $log
        (Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Protocol http/json -Compression Gzip).Sent | Should -Be 1

        (Get-OtlpRequest $receiver).ContentType | Should -Be 'application/x-protobuf', 'application/json'
        (Get-OtlpRecord $receiver).ForEach({ $_.Attributes['scout.reason'] }) | Should -Be 'protobuf', 'json'
    }

    It 'takes the protocol from OTEL_EXPORTER_OTLP_LOGS_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, and -Protocol over both' {
        $receiver = Start-OtlpReceiver
        $saved = $env:OTEL_EXPORTER_OTLP_PROTOCOL, $env:OTEL_EXPORTER_OTLP_LOGS_PROTOCOL
        try {
            $env:OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json'
            $env:OTEL_EXPORTER_OTLP_LOGS_PROTOCOL = $null
            Write-ScoutAuditEvent nav -Path $log
            $null = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log
            $env:OTEL_EXPORTER_OTLP_LOGS_PROTOCOL = 'http/protobuf'
            Write-ScoutAuditEvent nav -Path $log
            $null = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log
            Write-ScoutAuditEvent nav -Path $log
            $null = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Protocol http/json
        }
        finally {
            $env:OTEL_EXPORTER_OTLP_PROTOCOL, $env:OTEL_EXPORTER_OTLP_LOGS_PROTOCOL = $saved
        }

        (Get-OtlpRequest $receiver).ContentType | Should -Be 'application/json', 'application/x-protobuf', 'application/json'
        @(Get-OtlpRecord $receiver).Count | Should -Be 3
    }

    It 'refuses grpc and any other protocol, from -Protocol or the environment, before sending anything' {
        $receiver = Start-OtlpReceiver
        Write-ScoutAuditEvent nav -Path $log
        $saved = $env:OTEL_EXPORTER_OTLP_PROTOCOL, $env:OTEL_EXPORTER_OTLP_LOGS_PROTOCOL
        try {
            $env:OTEL_EXPORTER_OTLP_PROTOCOL, $env:OTEL_EXPORTER_OTLP_LOGS_PROTOCOL = $null, $null
            { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Protocol grpc -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*-Protocol is 'grpc', which this forwarder does not speak*Use http/protobuf*4318*"
            { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Protocol http/xml -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*-Protocol is 'http/xml'; OTLP/HTTP allows http/protobuf (the default) or http/json*"
            $env:OTEL_EXPORTER_OTLP_PROTOCOL = 'grpc'
            { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*`$OTEL_EXPORTER_OTLP_PROTOCOL is 'grpc'*"
        }
        finally {
            $env:OTEL_EXPORTER_OTLP_PROTOCOL, $env:OTEL_EXPORTER_OTLP_LOGS_PROTOCOL = $saved
        }
        @(Get-OtlpRequest $receiver).Count | Should -Be 0
    }
}
