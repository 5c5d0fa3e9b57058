#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Send-ScoutAuditEvent where a collector, a header, an endpoint or another forwarder could make it
# send elsewhere, show a secret or send twice: redirects refused, headers checked, secrets masked in
# every stream and file, one forwarder per log and endpoint; and the surface a PowerShell user
# expects: piped events sent as they are, -WhatIf, -Token, -Credential, -Proxy and -TimeoutSec.

Describe 'Send-ScoutAuditEvent safety and surface' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/OtlpReceiver.psm1")) -Force
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ForwardingPeers.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force
    }

    AfterAll {
        Remove-Module ScoutAudit, OtlpReceiver, ForwardingPeers -ErrorAction SilentlyContinue
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

    Context 'redirects' {
        It 'refuses a <_> naming its Location, sends nothing to the other origin, and keeps the checkpoint' -ForEach 301, 302, 307, 308 {
            $other = Start-LoopbackPeer
            $collector = Start-LoopbackPeer -Script @{ Status = $_; Location = "$($other.Endpoint)/v1/logs?token=redirect-s3cret" }
            try {
                1..2 | ForEach-Object { Write-ScoutAuditEvent nav -Path $log }

                { Send-ScoutAuditEvent -Endpoint $collector.Endpoint -Path $log -Header @{ 'X-Api-Key' = 'stays-home' } -ErrorAction Stop } |
                    Should -Throw -ErrorId 'ForwardingFailed,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*$_*a redirect to '$($other.Endpoint)/v1/logs?token=``*``*``*', which is not followed*checkpoint is unchanged*"

                @(Get-LoopbackPeerRequest $other).Count | Should -Be 0
                (Get-LoopbackPeerRequest $collector).Method | Should -Be 'POST'
                Get-ChildItem -LiteralPath $folder -Filter '*.forward-*.json' | Should -BeNullOrEmpty
                "$($Error[0])" | Should -Not -Match 'redirect-s3cret'
            }
            finally {
                Stop-LoopbackPeer $other
                Stop-LoopbackPeer $collector
            }
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
            Write-ScoutAuditEvent nav -Path $log

            $caught = { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Header @{ 'X-Api-Key' = $Value } -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -PassThru

            "$caught" | Should -Match ([regex]::Escape("The value of the header 'X-Api-Key' in -Header has $Said"))
            "$caught" | Should -Not -Match 's3cr'
            "$($caught.TargetObject)" | Should -Not -Match 's3cr'
            @(Get-OtlpRequest $receiver).Count | Should -Be 0
        }

        It 'refuses an encoded CR LF in $env:<_>, naming the header and the variable, never the value' -ForEach 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_LOGS_HEADERS' {
            $receiver = Start-OtlpReceiver
            Write-ScoutAuditEvent nav -Path $log
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
            Write-ScoutAuditEvent nav -Path $log
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
            1..2 | ForEach-Object { Write-ScoutAuditEvent nav -Path $log }
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

        It 'shows the query masked in progress records and every other stream of the runspace' {
            $receiver = Start-OtlpReceiver -Script @{ Status = 503; RetryAfter = 1 }
            1..3 | ForEach-Object { Write-ScoutAuditEvent nav -Path $log }
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript({
                        param($module, $endpoint, $log)
                        Import-Module $module
                        $VerbosePreference = 'Continue'
                        $DebugPreference = 'Continue'
                        Send-ScoutAuditEvent -Endpoint $endpoint -Path $log -BatchSize 1
                        Get-ScoutAuditEvent -Path $log | Send-ScoutAuditEvent -Endpoint $endpoint
                    }).AddArgument((Get-ScoutAuditModulePath)).AddArgument("$($receiver.Endpoint)/v1/logs?api_key=p-s3cret").AddArgument($log)
                $output = $shell.Invoke()
                $streams = $shell.Streams
                $text = (@($output) + @($streams.Progress) + @($streams.Verbose) + @($streams.Warning) + @($streams.Debug) + @($streams.Information) + @($streams.Error) |
                        ForEach-Object { $_ | Format-List * -Force | Out-String -Width 500 }) -join "`n"

                @($streams.Progress).Count | Should -BeGreaterThan 0
                @($streams.Progress | Where-Object StatusDescription -Match ([regex]::Escape("$($receiver.Endpoint)/v1/logs?api_key=***"))).Count | Should -BeGreaterThan 0
                @($streams.Warning).Count | Should -Be 1
                $text | Should -Not -Match 'p-s3cret'
            }
            finally { $shell.Dispose() }
        }

        It 'puts the masked endpoint in the output object' {
            $receiver = Start-OtlpReceiver
            Write-ScoutAuditEvent nav -Path $log

            $result = Send-ScoutAuditEvent -Endpoint "$($receiver.Endpoint)/v1/logs?api_key=q-s3cret" -Path $log

            "$($result.Endpoint)" | Should -Be "$($receiver.Endpoint)/v1/logs?api_key=***"
            ($result | Format-List * | Out-String) | Should -Not -Match 'q-s3cret'
        }

        It 'warns when headers go over plain http to another host, and not to loopback' {
            $receiver = Start-OtlpReceiver
            Write-ScoutAuditEvent nav -Path $log

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
            Write-ScoutAuditEvent nav -Reason 'before' -Path $log
            $follower = [powershell]::Create()
            $null = $follower.AddScript({
                    param($module, $endpoint, $log)
                    Import-Module $module
                    Send-ScoutAuditEvent -Endpoint $endpoint -Path $log -Wait
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
            Write-ScoutAuditEvent nav -Reason 'after' -Path $log
            (Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log).Sent | Should -Be 1
        }
    }

    Context 'piped events' {
        It 'sends exactly the events piped from Get-ScoutAuditEvent, batched, and leaves the checkpoint alone' {
            $receiver = Start-OtlpReceiver
            Write-ScoutAuditEvent nav -Reason 'one' -Path $log
            Write-ScoutAuditEvent validation_fail -Reason 'filtered out' -Path $log
            Write-ScoutAuditEvent nav -Reason 'two' -Path $log
            Write-ScoutAuditEvent nav -Reason 'three' -Path $log

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

        It 'sends piped events the checkpoint already covers again, as the help promises, and leaves the checkpoint file as it was' {
            $receiver = Start-OtlpReceiver
            1..3 | ForEach-Object { Write-ScoutAuditEvent nav -Reason "event $_" -Path $log }
            $null = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log
            $checkpoint = Get-ChildItem -LiteralPath $folder -Filter '*.forward-*.json'
            $saved = Get-Content -LiteralPath $checkpoint.FullName -Raw

            $result = Get-ScoutAuditEvent -Path $log | Select-Object -Last 2 | Send-ScoutAuditEvent -Endpoint $receiver.Endpoint

            $result.Sent | Should -Be 2
            (Get-OtlpRecord $receiver).ForEach({ $_.Attributes['scout.reason'] }) | Should -Be 'event 1', 'event 2', 'event 3', 'event 2', 'event 3'
            Get-Content -LiteralPath $checkpoint.FullName -Raw | Should -BeExactly $saved
        }

        It 'sends events of two logs, one result for each, each event with its own log' {
            $receiver = Start-OtlpReceiver
            $other = Join-Path $folder 'other.jsonl'
            Write-ScoutAuditEvent nav -Reason 'first' -Path $log
            Write-ScoutAuditEvent nav -Reason 'second' -Path $other

            $results = @(Get-ScoutAuditEvent -Path $log) + @(Get-ScoutAuditEvent -Path $other) | Send-ScoutAuditEvent -Endpoint $receiver.Endpoint

            $results.Path | Should -Be $log, $other
            $results.Sent | Should -Be 1, 1
            (Get-OtlpRecord $receiver).ForEach({ $_.Attributes['scout.log'] }) | Should -Be $log, $other
            Close-ScoutAuditLog -Path $other
        }

        It 'stops on a damaged checkpoint of the log, naming it, though it would not move it' {
            $receiver = Start-OtlpReceiver
            Write-ScoutAuditEvent nav -Path $log
            $endpoint = "$($receiver.Endpoint)/v1/logs"
            $checkpoint = "$log.forward-$(([System.Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($endpoint)) | Select-Object -First 4 | ForEach-Object { $_.ToString('x2') }) -join '').json"
            Set-Content -LiteralPath $checkpoint -Value 'not json'

            { Get-ScoutAuditEvent -Path $log | Send-ScoutAuditEvent -Endpoint $endpoint -ErrorAction Stop } |
                Should -Throw -ErrorId 'ForwardingCheckpointUnreadable,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*$checkpoint*damaged*"
            @(Get-OtlpRequest $receiver).Count | Should -Be 0
        }

        It 'sends a log named twice by the pipeline once' {
            $receiver = Start-OtlpReceiver
            1..2 | ForEach-Object { Write-ScoutAuditEvent nav -Path $log }

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
            1..2 | ForEach-Object { Write-ScoutAuditEvent nav -Path $log }
            Write-ScoutAuditEvent deep -Path $log
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
            Write-ScoutAuditEvent nav -Path $log
            $token = ConvertTo-SecureString 'tok-s3cret' -AsPlainText -Force
            $credential = [pscredential]::new('runbooks', (ConvertTo-SecureString 'pw-s3cret' -AsPlainText -Force))

            $null = Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log -Token $token
            Write-ScoutAuditEvent nav -Path $log
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
            Write-ScoutAuditEvent nav -Path $log

            { Send-ScoutAuditEvent -Endpoint $receiver.Endpoint -Path $log @Arguments -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidForwarding,ScoutAudit.PowerShell.Commands.SendScoutAuditEventCommand' -ExpectedMessage "*$Said*"
            @(Get-OtlpRequest $receiver).Count | Should -Be 0
        }

        It 'never shows a token, a password or a header''s value in any stream, error or its target' {
            $receiver = Start-OtlpReceiver -Script @{ Status = 503; RetryAfter = 1 }, @{ Status = 401; Body = '{"code":16,"message":"bad credentials: Bearer tok-s3cret"}' }
            Write-ScoutAuditEvent nav -Path $log
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
                Write-ScoutAuditEvent nav -Path $log
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
            $slow = Start-LoopbackPeer -Script @{ Status = 200; Delay = 3 }
            try {
                Write-ScoutAuditEvent nav -Path $log

                $result = Send-ScoutAuditEvent -Endpoint $slow.Endpoint -Path $log -TimeoutSec 1 -WarningVariable retries -WarningAction SilentlyContinue

                $result.Sent | Should -Be 1
                "$($retries[0])" | Should -Match ([regex]::Escape('failed (no answer within 00:00:01)'))
                @(Get-LoopbackPeerRequest $slow).Count | Should -BeGreaterThan 1
            }
            finally { Stop-LoopbackPeer $slow }
        }
    }
}
