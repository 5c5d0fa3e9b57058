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
        Write-ScoutAudit nav -Model gpt-4o-mini -InputTokens 1200 -OutputTokens 80 -Cost 0.0004 -SessionId s1 -Files a.py, b.py -Reason 'why' -Path $log
        1..5 | ForEach-Object { Write-ScoutAudit validation_fail -Reason "r$_" -SessionId s1 -Path $log }
        $null = Invoke-ScoutAuditRotate -Path $log -Confirm:$false
        1..4 | ForEach-Object { Write-ScoutAudit deep -Property @{ step = $_ } -Path $log }

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

        Write-ScoutAudit nav -Reason 'later' -Path $log
        $second = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log
        $second.Sent | Should -Be 1
        (Get-OtlpRecord $receiver)[-1].Attributes['scout.reason'] | Should -Be 'later'
        @(Get-OtlpRecord $receiver).Count | Should -Be 11
    }

    It 'sends several logs one after the other, each from a checkpoint of its own' {
        $receiver = Start-OtlpReceiver
        $other = Join-Path $folder 'other.jsonl'
        1..2 | ForEach-Object { Write-ScoutAudit nav -Reason "first log $_" -Path $log }
        Write-ScoutAudit nav -Reason 'other log' -Path $other

        $results = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log, $other

        $results.Path | Should -Be $log, $other
        $results.Sent | Should -Be 2, 1
        $results[0].CheckpointPath | Should -BeLike "$log.forward-*.json"
        $results[1].CheckpointPath | Should -BeLike "$other.forward-*.json"
        (Get-OtlpRecord $receiver).ForEach({ $_.Attributes['scout.log'] }) | Should -Be $log, $log, $other
        Write-ScoutAudit nav -Reason 'later' -Path $other
        (Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log, $other).Sent | Should -Be 0, 1
        Close-ScoutAuditLog -Path $other
    }

    It 'refuses -Follow and -CheckpointPath with more than one log, before sending anything' {
        $receiver = Start-OtlpReceiver
        $other = Join-Path $folder 'other.jsonl'
        Write-ScoutAudit nav -Path $log
        Write-ScoutAudit nav -Path $other
        Close-ScoutAuditLog -Path $other

        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log, $other -Follow -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage '*-Follow follows one log; got 2*'
        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log, $other -CheckpointPath (Join-Path $folder 'forward.json') -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage '*-CheckpointPath keeps the checkpoint of one log; got 2*'
        @(Get-OtlpRequest $receiver).Count | Should -Be 0
    }

    It 'waits out a collector that answers 503 and 429, with a warning for each retry, and loses nothing' {
        $receiver = Start-OtlpReceiver -Script @{ Status = 503; RetryAfter = 1 }, @{ Status = 429; RetryAfter = 1 }
        1..3 | ForEach-Object { Write-ScoutAudit nav -InputTokens $_ -Path $log }

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
        1..2 | ForEach-Object { Write-ScoutAudit nav -InputTokens $_ -Path $log }

        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -ErrorAction Stop } |
            Should -Throw -ErrorId 'ForwardingFailed,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage '*400*attribute limit exceeded*'
        $again = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log

        $again.Sent | Should -Be 2
        (Get-OtlpRecord $receiver).ForEach({ $_.Attributes['gen_ai.usage.input_tokens'] }) | Should -Be 1, 2
    }

    It 'reports the records a collector rejected as an error and does not send them again' {
        $receiver = Start-OtlpReceiver -Script @{ Status = 200; Body = '{"partialSuccess":{"rejectedLogRecords":"1","errorMessage":"too old"}}' }
        1..2 | ForEach-Object { Write-ScoutAudit nav -InputTokens $_ -Path $log }

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
        Write-ScoutAudit nav -Path $log

        $null = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -ErrorVariable rejected -ErrorAction SilentlyContinue

        $shown = "$($rejected[0])" # what the host prints: the record's ErrorDetails, else its exception's message
        $shown | Should -Not -Match '[\u0000-\u001F\u007F\u202A-\u202E]'
        $shown | Should -Match ([regex]::Escape("records: `u{FFFD}]0;owned`u{FFFD} `u{FFFD}[2J `u{FFFD}eulav"))
    }

    It 'follows the log with -Follow until stopped, sending each new event' {
        $receiver = Start-OtlpReceiver
        Write-ScoutAudit nav -Reason 'before' -Path $log
        $forwarder = [powershell]::Create()
        $null = $forwarder.AddScript({
                param($module, $endpoint, $log)
                Import-Module $module
                Send-ScoutAuditEvent -Endpoint $endpoint -Path $log -Follow
            }).AddArgument((Get-ScoutAuditModulePath)).AddArgument($receiver.Endpoint).AddArgument($log)
        $handle = $forwarder.BeginInvoke()
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while (@(Get-OtlpRecord $receiver).Count -lt 1 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Write-ScoutAudit nav -Reason 'after' -Path $log
            $null = Invoke-ScoutAuditRotate -Path $log -Confirm:$false
            Write-ScoutAudit nav -Reason 'after the rotation' -Path $log
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
        Write-ScoutAudit nav -Path $log
        $saved = $env:OTEL_EXPORTER_OTLP_ENDPOINT, $env:OTEL_EXPORTER_OTLP_HEADERS, $env:OTEL_EXPORTER_OTLP_COMPRESSION
        try {
            $env:OTEL_EXPORTER_OTLP_ENDPOINT = $null
            { Send-ScoutAuditEvent -Path $log -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage '*No endpoint: give -Endpoint*OTEL_EXPORTER_OTLP_ENDPOINT*'
            $env:OTEL_EXPORTER_OTLP_ENDPOINT = $receiver.Endpoint
            $env:OTEL_EXPORTER_OTLP_HEADERS = 'Authorization=Bearer%20from-env'
            $env:OTEL_EXPORTER_OTLP_COMPRESSION = 'gzip'
            (Send-ScoutAuditEvent -Path $log).Sent | Should -Be 1
            Write-ScoutAudit nav -Reason 'plain' -Path $log
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
        Write-ScoutAudit nav -Path $log

        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Header @{ 'Content-Type' = 'text/plain' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*'Content-Type' cannot be sent as a request header*"
        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Header @{ Authorization = 1, 2 } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*-Header 'Authorization' must be text*"
        @(Get-OtlpRequest $receiver).Count | Should -Be 0
    }

    It 'stops, sending nothing, when the log was deleted and begun again after its checkpoint' {
        $receiver = Start-OtlpReceiver
        1..3 | ForEach-Object { Write-ScoutAudit nav -Reason "first log $_" -Path $log }
        (Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log).Sent | Should -Be 3
        Close-ScoutAuditLog -Path $log
        Remove-Item -LiteralPath $log
        Write-ScoutAudit nav -Reason 'the new log' -Path $log

        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -ErrorAction Stop } |
            Should -Throw -ErrorId 'ForwardingCheckpointAhead,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage '*acknowledged the events up to id*but the log*ends at id*Delete the checkpoint*'
        @(Get-OtlpRecord $receiver).Count | Should -Be 3
    }

    It 'refuses a checkpoint file it cannot trust, naming it' {
        $receiver = Start-OtlpReceiver
        Write-ScoutAudit nav -Path $log
        $checkpoint = Join-Path $folder 'forward.json'
        Set-Content -LiteralPath $checkpoint -Value 'not json'

        { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -CheckpointPath $checkpoint -ErrorAction Stop } |
            Should -Throw -ErrorId 'ForwardingCheckpointUnreadable,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*$checkpoint*"
        @(Get-OtlpRequest $receiver).Count | Should -Be 0
    }

    Context 'redirects' {
        It 'refuses a <_> naming its Location, sends nothing to the other origin, and keeps the checkpoint' -ForEach 301, 302, 307, 308 {
            $other = Start-OtlpReceiver
            try {
                $receiver = Start-OtlpReceiver -Script @{ Status = $_; Location = "$($other.Endpoint)/v1/logs?token=redirect-s3cret" }
                1..2 | ForEach-Object { Write-ScoutAudit nav -Path $log }

                { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Header @{ 'X-Api-Key' = 'stays-home' } -ErrorAction Stop } |
                    Should -Throw -ErrorId 'ForwardingFailed,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*$_*a redirect to '$($other.Endpoint)/v1/logs?token=``*``*``*', which is not followed*checkpoint is unchanged*"

                @(Get-OtlpRequest $other).Count | Should -Be 0
                @(Get-OtlpRequest $receiver).Count | Should -Be 1
                Get-ChildItem -LiteralPath $folder -Filter '*.forward-*.json' | Should -BeNullOrEmpty
                "$($Error[0])" | Should -Not -Match 'redirect-s3cret'
            }
            finally { Stop-OtlpReceiver $other }
        }
    }

    Context 'headers' {
        It 'refuses a -Header value with <Name> before sending anything, naming the header and not the value' -ForEach @(
            @{ Name = 'CR LF'; Value = "s3cret`r`nX-Injected: yes"; Said = 'a carriage return (CR)' }
            @{ Name = 'a NUL'; Value = "s3cret`0"; Said = 'a NUL' }
            @{ Name = 'an escape'; Value = "s3cret`e[2J"; Said = 'the control character U+001B' }
            @{ Name = 'non-ASCII'; Value = "s3cr`u{00E9}t"; Said = 'a character outside ASCII' }
        ) {
            $receiver = Start-OtlpReceiver
            Write-ScoutAudit nav -Path $log

            $caught = { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Header @{ 'X-Api-Key' = $Value } -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -PassThru

            "$caught" | Should -Match ([regex]::Escape("The value of the header 'X-Api-Key' in -Header has $Said"))
            "$caught" | Should -Not -Match 's3cr'
            "$($caught.TargetObject)" | Should -Not -Match 's3cr'
            @(Get-OtlpRequest $receiver).Count | Should -Be 0
        }

        It 'refuses an encoded CR LF in $env:<_>, naming the header and the variable, never the value' -ForEach 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_LOGS_HEADERS' {
            $receiver = Start-OtlpReceiver
            Write-ScoutAudit nav -Path $log
            $saved = [Environment]::GetEnvironmentVariable($_)
            try {
                [Environment]::SetEnvironmentVariable($_, 'X-Tenant=acme,Authorization=Bearer%20env-s3cret%0D%0AX-Injected:%20yes')
                $caught = { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -ErrorAction Stop } |
                    Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -PassThru
                "$caught" | Should -Match ([regex]::Escape("The value of the header 'Authorization' in `$env:$_ has a carriage return (CR)"))
                "$caught" | Should -Not -Match 'env-s3cret'

                [Environment]::SetEnvironmentVariable($_, 'X-Tenant=acme,Authorization Bearer env-s3cret')
                $caught = { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -ErrorAction Stop } |
                    Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -PassThru
                "$caught" | Should -Match ([regex]::Escape("The second entry of `$env:$_ is not name=value (it is not shown"))
                "$caught" | Should -Not -Match 'env-s3cret'
            }
            finally { [Environment]::SetEnvironmentVariable($_, $saved) }
            @(Get-OtlpRequest $receiver).Count | Should -Be 0
        }
    }

    Context 'secrets in the endpoint' {
        It 'refuses a user name and password in the endpoint, telling to use a header, without showing them' {
            $receiver = Start-OtlpReceiver
            Write-ScoutAudit nav -Path $log
            $endpoint = $receiver.Endpoint -replace '^http://', 'http://scout:pa55w0rd@'

            $caught = { Send-ScoutAuditEvent -Endpoint $endpoint -Path $log -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -PassThru

            "$caught" | Should -Match ([regex]::Escape("The endpoint '$($receiver.Endpoint)/' has a user name or password in it"))
            "$caught" | Should -Match '-Header'
            "$caught $($caught.TargetObject) $($caught.Exception.Message)" | Should -Not -Match 'pa55w0rd|scout:'
            @(Get-OtlpRequest $receiver).Count | Should -Be 0
        }

        It 'shows the query of the endpoint masked in every stream, the error, the output and the checkpoint file' {
            $receiver = Start-OtlpReceiver -Script @{ Status = 503; RetryAfter = 1 }, @{ Status = 200 }, @{ Status = 400; Body = '{"code":3,"message":"unknown key q-s3cret"}' }
            1..2 | ForEach-Object { Write-ScoutAudit nav -Path $log }
            $endpoint = "$($receiver.Endpoint)/v1/logs?api_key=q-s3cret"
            $shown = "$($receiver.Endpoint)/v1/logs?api_key=***"

            $all = @(try { Send-ScoutAuditEvent -Endpoint $endpoint -Path $log -BatchSize 1 -Verbose *>&1 } catch { $_ })
            $failed = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $text = ($all | Out-String -Width 500) + ($failed | ForEach-Object { "$_ $($_.TargetObject) $($_.Exception.Message)" })
            $checkpoint = Get-ChildItem -LiteralPath $folder -Filter '*.forward-*.json' | Get-Content -Raw

            $text | Should -Not -Match 'q-s3cret'
            $checkpoint | Should -Not -Match 'q-s3cret'
            ($checkpoint | ConvertFrom-Json).endpoint | Should -Be $shown
            $text | Should -Match ([regex]::Escape("to '$shown' failed (503"))
            "$($failed[0])" | Should -Match ([regex]::Escape("The collector at '$shown' refused events"))
            "$($failed[0])" | Should -Match 'unknown key \*\*\*'
            "$($failed[0].TargetObject)" | Should -Be $shown
        }

        It 'puts the masked endpoint in the output object' {
            $receiver = Start-OtlpReceiver
            Write-ScoutAudit nav -Path $log

            $result = Send-ScoutAuditEvent -Endpoint "$($receiver.Endpoint)/v1/logs?api_key=q-s3cret" -Path $log

            "$($result.Endpoint)" | Should -Be "$($receiver.Endpoint)/v1/logs?api_key=***"
            ($result | Format-List * | Out-String) | Should -Not -Match 'q-s3cret'
            (Get-OtlpRequest $receiver)[0].Headers.Count | Should -BeGreaterThan 0
        }

        It 'warns when headers go over plain http to another host, and not to loopback' {
            $receiver = Start-OtlpReceiver
            Write-ScoutAudit nav -Path $log

            $null = Send-ScoutAuditEvent -Endpoint 'http://collector.example.com:4318' -Header @{ 'X-Api-Key' = 'k-s3cret' } -Path $log -WhatIf -WarningVariable remote -WarningAction SilentlyContinue
            $null = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Header @{ 'X-Api-Key' = 'k-s3cret' } -Path $log -WarningVariable local -WarningAction SilentlyContinue

            $remote.Count | Should -Be 1
            "$($remote[0])" | Should -Match ([regex]::Escape("The headers 'X-Api-Key' go to 'http://collector.example.com:4318/v1/logs' over plain http"))
            "$($remote[0])" | Should -Not -Match 'k-s3cret'
            $local.Count | Should -Be 0
        }
    }

    Context 'one forwarder per log and endpoint' {
        It 'refuses a second forwarder at once, naming the process that holds the lock, and runs once the first is gone' {
            $receiver = Start-OtlpReceiver
            Write-ScoutAudit nav -Reason 'before' -Path $log
            $follower = [powershell]::Create()
            $null = $follower.AddScript({
                    param($module, $endpoint, $log)
                    Import-Module $module
                    Send-ScoutAuditEvent -Endpoint $endpoint -Path $log -Follow
                }).AddArgument((Get-ScoutAuditModulePath)).AddArgument($receiver.Endpoint).AddArgument($log)
            $null = $follower.BeginInvoke()
            try {
                $deadline = [datetime]::UtcNow.AddSeconds(30)
                while (@(Get-OtlpRecord $receiver).Count -lt 1 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                @(Get-OtlpRecord $receiver).Count | Should -Be 1

                $caught = { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -ErrorAction Stop } |
                    Should -Throw -ErrorId 'ForwarderRunning,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -PassThru
                "$caught" | Should -Match ([regex]::Escape("Another forwarder is sending the log '$log' to '$($receiver.Endpoint)/v1/logs': process $PID ("))
                "$caught" | Should -Match ([regex]::Escape('.lock'))
                $caught.CategoryInfo.Category | Should -Be 'ResourceBusy'
            }
            finally {
                $follower.Stop()
                $follower.Dispose()
            }
            Write-ScoutAudit nav -Reason 'after' -Path $log
            (Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log).Sent | Should -Be 1
        }
    }

    Context 'piped events' {
        It 'sends exactly the events piped from Get-ScoutAuditEvent, batched, and leaves the checkpoint alone' {
            $receiver = Start-OtlpReceiver
            Write-ScoutAudit nav -Reason 'one' -Path $log
            Write-ScoutAudit validation_fail -Reason 'filtered out' -Path $log
            Write-ScoutAudit nav -Reason 'two' -Path $log
            Write-ScoutAudit nav -Reason 'three' -Path $log

            $result = Get-ScoutAuditEvent -Event nav -Path $log | Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -BatchSize 2

            (Get-OtlpRecord $receiver).ForEach({ $_.Attributes['scout.reason'] }) | Should -Be 'one', 'two', 'three'
            @(Get-OtlpRequest $receiver).Count | Should -Be 2
            $result.Path | Should -Be $log
            $result.Sent | Should -Be 3
            $result.Batches | Should -Be 2
            $result.LastId | Should -BeNullOrEmpty
            $result.CheckpointPath | Should -BeNullOrEmpty
            Get-ChildItem -LiteralPath $folder -Filter '*.forward-*' | Should -BeNullOrEmpty
            (Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log).Sent | Should -Be 4 -Because 'the log-level run still starts from its own checkpoint'
        }

        It 'sends events of two logs, one result for each, each event with its own log' {
            $receiver = Start-OtlpReceiver
            $other = Join-Path $folder 'other.jsonl'
            Write-ScoutAudit nav -Reason 'first' -Path $log
            Write-ScoutAudit nav -Reason 'second' -Path $other

            $results = @(Get-ScoutAuditEvent -Path $log) + @(Get-ScoutAuditEvent -Path $other) | Send-ScoutAuditEvent -Endpoint $receiver.Endpoint

            $results.Path | Should -Be $log, $other
            $results.Sent | Should -Be 1, 1
            (Get-OtlpRecord $receiver).ForEach({ $_.Attributes['scout.log'] }) | Should -Be $log, $other
            Close-ScoutAuditLog -Path $other
        }

        It 'sends a log named twice by the pipeline once' {
            $receiver = Start-OtlpReceiver
            1..2 | ForEach-Object { Write-ScoutAudit nav -Path $log }

            $results = @([pscustomobject]@{ Path = $log }, [pscustomobject]@{ Path = $log }) | Send-ScoutAuditEvent -Endpoint $receiver.Endpoint

            @($results).Count | Should -Be 1
            $results.Sent | Should -Be 2
        }
    }

    Context '-WhatIf' {
        It 'says what it would send where, with the endpoint masked, and sends and writes nothing' -ForEach @(
            @{ Mode = 'a log'; Command = 'Send-ScoutAuditEvent -Endpoint $env:ENDPOINT -Path $env:LOG -WhatIf'; Said = "What if: Performing the operation `"Send every event (none was acknowledged yet) to '{0}', moving the checkpoint in '{1}.forward-" }
            @{ Mode = 'piped events'; Command = 'Get-ScoutAuditEvent -Event nav -Path $env:LOG | Send-ScoutAuditEvent -Endpoint $env:ENDPOINT -WhatIf'; Said = "What if: Performing the operation `"Send to '{0}', leaving the checkpoint as it is`" on target `"2 events of '{1}' (Ids " }
        ) {
            $receiver = Start-OtlpReceiver
            1..2 | ForEach-Object { Write-ScoutAudit nav -Path $log }
            Write-ScoutAudit deep -Path $log
            Close-ScoutAuditLog -Path $log
            $endpoint = "$($receiver.Endpoint)/v1/logs?api_key=w-s3cret"
            $environment = @{ ENDPOINT = $endpoint; LOG = $log; SCOUT_AUDIT_PATH = $log; HOME = $folder }

            $child = Invoke-ChildPwsh -ArgumentList '-Command', "Import-Module `$env:SCOUT_TEST_MODULE; $Command" -Environment $environment
            $out = $child.StdOut + $child.StdErr

            $out | Should -Match ([regex]::Escape(($Said -f "$($receiver.Endpoint)/v1/logs?api_key=***", $log)))
            $out | Should -Not -Match 'w-s3cret'
            @(Get-OtlpRequest $receiver).Count | Should -Be 0
            Get-ChildItem -LiteralPath $folder -Filter '*.forward-*' | Should -BeNullOrEmpty
        }
    }

    Context 'credentials' {
        It 'sends -Token as a bearer token and -Credential as Basic' {
            $receiver = Start-OtlpReceiver
            Write-ScoutAudit nav -Path $log
            $token = ConvertTo-SecureString 'tok-s3cret' -AsPlainText -Force
            $credential = [pscredential]::new('runbooks', (ConvertTo-SecureString 'pw-s3cret' -AsPlainText -Force))

            $null = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Token $token
            Write-ScoutAudit nav -Path $log
            $null = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Credential $credential

            (Get-OtlpRequest $receiver).Authorization | Should -Be 'Bearer tok-s3cret', "Basic $([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('runbooks:pw-s3cret')))"
        }

        It 'refuses <Name> before sending anything' -ForEach @(
            @{ Name = '-Token with -Credential'; Arguments = @{ Token = (ConvertTo-SecureString 't' -AsPlainText -Force); Credential = [pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force)) }; Said = 'Give -Token (Authorization: Bearer) or -Credential (Authorization: Basic), not both' }
            @{ Name = '-Token with an Authorization header'; Arguments = @{ Token = (ConvertTo-SecureString 't' -AsPlainText -Force); Header = @{ Authorization = 'Bearer x' } }; Said = '-Header has an Authorization header and -Token gives one too' }
            @{ Name = 'a user name with a colon'; Arguments = @{ Credential = [pscredential]::new('u:v', (ConvertTo-SecureString 'p' -AsPlainText -Force)) }; Said = "The user name of -Credential has a ':'" }
            @{ Name = '-ProxyCredential without -Proxy'; Arguments = @{ ProxyCredential = [pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force)) }; Said = '-ProxyCredential is for the proxy of -Proxy; give -Proxy too' }
        ) {
            $receiver = Start-OtlpReceiver
            Write-ScoutAudit nav -Path $log

            { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log @Arguments -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*$Said*"
            @(Get-OtlpRequest $receiver).Count | Should -Be 0
        }

        It 'never shows a token, a password or a header''s value in any stream, error or its target' {
            $receiver = Start-OtlpReceiver -Script @{ Status = 503; RetryAfter = 1 }, @{ Status = 401; Body = '{"code":16,"message":"bad credentials: Bearer tok-s3cret"}' }
            Write-ScoutAudit nav -Path $log
            $token = ConvertTo-SecureString 'tok-s3cret' -AsPlainText -Force
            $credential = [pscredential]::new('runbooks', (ConvertTo-SecureString 'pw-s3cret' -AsPlainText -Force))
            $Error.Clear()

            $all = @(
                try { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Token $token -Header @{ 'X-Api-Key' = 'hdr-s3cret' } -Verbose *>&1 } catch { $_ }
                Send-ScoutAuditEvent -Endpoint 'http://collector.example.com:4318' -Path $log -Credential $credential -WhatIf -Verbose *>&1
                try { Get-ScoutAuditEvent -Path $log | Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Credential $credential -ProxyCredential $credential -Verbose *>&1 } catch { $_ }
            )
            $text = ($all | Out-String -Width 1000) + ($Error + $all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } |
                    ForEach-Object { "$_ | $($_.TargetObject) | $($_.Exception.Message) | $($_.ErrorDetails)" } | Out-String)

            $Error.Count | Should -BeGreaterThan 1
            $text | Should -Match 'refused events.*401'
            $text | Should -Not -Match 'tok-s3cret|pw-s3cret|hdr-s3cret'
            $text | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('runbooks:pw-s3cret'))))
        }

        It 'sends through -Proxy, answering its challenge with -ProxyCredential' {
            $proxy = Start-TestProxy -RequireAuthentication
            try {
                Write-ScoutAudit nav -Path $log
                $credential = [pscredential]::new('proxyuser', (ConvertTo-SecureString 'proxy-s3cret' -AsPlainText -Force))

                $result = Send-ScoutAuditEvent -Endpoint 'http://collector.example.invalid:4318' -Path $log -Proxy $proxy.Uri -ProxyCredential $credential -WarningAction SilentlyContinue

                $result.Sent | Should -Be 1
                $requests = $proxy.State.Requests.ToArray()
                $requests[0].Line | Should -Be 'POST http://collector.example.invalid:4318/v1/logs HTTP/1.1'
                $requests[-1].ProxyAuthorization | Should -Be "Basic $([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('proxyuser:proxy-s3cret')))"
            }
            finally { Stop-TestProxy $proxy }
        }

        It 'abandons and retries a request that takes longer than -TimeoutSec' {
            $receiver = Start-OtlpReceiver -Script @{ Status = 200; Delay = 3 }
            Write-ScoutAudit nav -Path $log

            $result = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -TimeoutSec 1 -WarningVariable retries -WarningAction SilentlyContinue

            $result.Sent | Should -Be 1
            "$($retries[0])" | Should -Match ([regex]::Escape('failed (no answer within 00:00:01)'))
        }
    }
}
