#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Write-ScoutAuditEvent as runbooks and interactive users call it, in real pwsh.

Describe 'Write-ScoutAuditEvent' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force
        $savedAuditPath = $env:SCOUT_AUDIT_PATH
        $uuid4 = '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
        $env:SCOUT_AUDIT_PATH = $savedAuditPath
    }

    BeforeEach {
        $log = New-TestLogPath $TestDrive
        $env:SCOUT_AUDIT_PATH = New-TestLogPath $TestDrive -Name 'default'
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
        Close-ScoutAuditLog -Path $env:SCOUT_AUDIT_PATH
    }

    Context 'Recording events' {
        It 'writes the line the original writes for a model call' {
            Write-ScoutAuditEvent nav -Cost 0.000003 -Model llama-3.1-8b -InputTokens 42 -OutputTokens 28 -Path $log

            $line = Get-Content -LiteralPath $log
            $line | Should -HaveCount 1
            $line | Should -Match '^\{"ts": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", "event": "nav", "session_id": "[0-9a-f-]{36}", "cost": 3e-06, "model": "llama-3.1-8b", "input_t": 42, "output_t": 28\}$'
        }

        It 'stamps the event with the current UTC time to the millisecond' {
            $before = [DateTimeOffset]::UtcNow.AddMilliseconds(-1)
            Write-ScoutAuditEvent nav -Path $log
            $after = [DateTimeOffset]::UtcNow.AddMilliseconds(1)

            $ts = [regex]::Match((Get-Content -LiteralPath $log), '^\{"ts": "([^"]+)"').Groups[1].Value
            $stamped = [DateTimeOffset]::ParseExact($ts, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture, 'AssumeUniversal')
            $stamped | Should -BeGreaterOrEqual $before
            $stamped | Should -BeLessOrEqual $after
        }

        It 'writes every standard field in the original order' {
            Write-ScoutAuditEvent brief -Cost 0.25 -Model m -InputTokens 1 -OutputTokens 2 -Files src/app.py, src/util.py `
                -Reason 'summary for the PR' -Confidence 87 -DurationMs 812.5 -Config @{ temperature = 0.2 } -Path $log

            $line = Get-Content -LiteralPath $log
            $keys = [regex]::Matches($line, '"(\w+)": ') | ForEach-Object { $_.Groups[1].Value } | Where-Object { $_ -ne 'temperature' }
            $keys | Should -Be @('ts', 'event', 'session_id', 'cost', 'model', 'input_t', 'output_t', 'files', 'reason', 'confidence', 'duration_ms', 'config')
            $line | Should -Match '"files": \["src/app.py", "src/util.py"\], "reason": "summary for the PR", "confidence": 87, "duration_ms": 812.5, "config": \{"temperature": 0.2\}\}$'
        }

        It 'gives every event of the process the same UUID4 session id unless -SessionId is given' {
            Write-ScoutAuditEvent nav -Path $log
            Write-ScoutAuditEvent deep -Path $log
            Write-ScoutAuditEvent nav -SessionId 'runbook-42' -Path $log

            $sessions = (Get-ScoutAuditEvent -Path $log).SessionId
            $sessions[0] | Should -Match $uuid4
            $sessions[1] | Should -Be $sessions[0]
            $sessions[2] | Should -Be 'runbook-42'
        }

        It 'writes nothing to the pipeline without -PassThru' {
            $output = Write-ScoutAuditEvent nav -Cost 0.01 -Path $log

            $output | Should -BeNullOrEmpty
            @(Get-ScoutAuditEvent -Path $log) | Should -HaveCount 1
        }

        It 'returns the written event as a typed object with -PassThru' {
            $written = Write-ScoutAuditEvent deep -Cost 0.5 -Model gpt-4o-mini -InputTokens 1200 -OutputTokens 310 -Files a.py -PassThru -Path $log

            $written | Should -BeOfType ScoutAudit.AuditEvent
            $written.Event | Should -Be 'deep'
            $written.Cost | Should -Be 0.5
            $written.Model | Should -Be 'gpt-4o-mini'
            $written.input_t | Should -Be 1200
            $written.Files | Should -Be @('a.py')
            $written.SessionId | Should -Be (Get-ScoutAuditEvent -Path $log).SessionId
        }

        It 'writes to $env:SCOUT_AUDIT_PATH when -Path is not given' {
            Write-ScoutAuditEvent nav -Reason 'default log'

            Get-Content -LiteralPath $env:SCOUT_AUDIT_PATH | Should -Match '"reason": "default log"'
            $log | Should -Not -Exist
        }

        It 'resolves a relative -Path against the current location' {
            $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
            New-Item -ItemType Directory -Path $folder | Out-Null
            Push-Location $folder
            try {
                Write-ScoutAuditEvent nav -Path ./relative.jsonl
                Close-ScoutAuditLog -Path ./relative.jsonl
            }
            finally { Pop-Location }

            Join-Path $folder 'relative.jsonl' | Should -Exist
        }

        It 'escapes non-ASCII text as \uXXXX, as the original does, and reads it back' {
            Write-ScoutAuditEvent nav -Reason 'café ✓' -Path $log

            Get-Content -LiteralPath $log | Should -Match '"reason": "caf\\u00e9 \\u2713"\}$'
            (Get-ScoutAuditEvent -Path $log).Reason | Should -Be 'café ✓'
        }

        It 'creates a new log readable by its owner only' -Skip:($IsWindows) {
            Write-ScoutAuditEvent nav -Path $log

            (Get-Item -LiteralPath $log).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        }
    }

    Context 'Configuration snapshots and extra fields' {
        It 'writes -Config as a JSON object in the order given with api_key redacted' {
            Write-ScoutAuditEvent brief -Config ([ordered]@{ temperature = 0.2; max_tokens = 512; api_key = 'sk-not-shown-1234567890' }) -Path $log

            $text = Get-Content -LiteralPath $log -Raw
            $text | Should -Match '"config": \{"temperature": 0.2, "max_tokens": 512, "api_key": "\[REDACTED\]"\}'
            $text | Should -Not -Match 'sk-not-shown'
        }

        It 'redacts secrets at any depth of -Config and keeps token counts' {
            $config = @{ llm = @{ provider = @{ password = 'hunter2'; max_tokens = 256 } }; db = 'Server=x;Password=p4ss;Database=y' }
            $written = Write-ScoutAuditEvent nav -Config $config -PassThru -Path $log

            $text = Get-Content -LiteralPath $log -Raw
            $text | Should -Not -Match 'hunter2'
            $text | Should -Not -Match 'p4ss'
            $written.Config.llm.provider.password | Should -Be '[REDACTED]'
            $written.Config.llm.provider.max_tokens | Should -Be 256
        }

        It 'redacts a bearer token in an extra field and returns the redacted value with -PassThru' {
            $written = Write-ScoutAuditEvent nav -Property @{ note = 'Authorization: Bearer abc.def.ghi0123456789' } -PassThru -Path $log

            $written.note | Should -Be 'Authorization: Bearer [REDACTED]'
            Get-Content -LiteralPath $log -Raw | Should -Not -Match 'abc\.def\.ghi'
        }

        It 'writes secrets as given with -NoRedaction' {
            Write-ScoutAuditEvent nav -Config @{ password = 'not-a-secret-here' } -NoRedaction -Path $log

            Get-Content -LiteralPath $log -Raw | Should -Match '"config": \{"password": "not-a-secret-here"\}'
        }

        It 'accepts ConvertFrom-Json output as -Config' {
            $config = '{"temperature": 0.7, "stop": ["\n\n"], "stream": false}' | ConvertFrom-Json
            Write-ScoutAuditEvent nav -Config $config -Path $log

            Get-Content -LiteralPath $log -Raw | Should -Match '"config": \{"temperature": 0.7, "stop": \["\\n\\n"\], "stream": false\}'
        }

        It 'does not write an extra field whose value is null, as the original' {
            Write-ScoutAuditEvent nav -Property ([ordered]@{ skipped = $null; kept = 1 }) -Path $log

            Get-Content -LiteralPath $log | Should -Match '"session_id": "[0-9a-f-]{36}", "kept": 1\}$'
            (Get-ScoutAuditEvent -Path $log).ExtraFieldNames | Should -Be 'kept'
        }

        It 'writes -Property extras after the standard fields and reads them back as properties' {
            Write-ScoutAuditEvent nav -Cost 0.1 -Property ([ordered]@{ ticket = 'SCOUT-142'; attempt = 2 }) -Path $log

            Get-Content -LiteralPath $log | Should -Match '"cost": 0.1, "ticket": "SCOUT-142", "attempt": 2\}$'
            $event = Get-ScoutAuditEvent -Path $log
            $event.ticket | Should -Be 'SCOUT-142'
            $event.attempt | Should -Be 2
        }
    }

    Context 'Objects from the pipeline' {
        It 'writes one event per piped object, binding the original field names as aliases' {
            @(
                [pscustomobject]@{ Event = 'nav'; Cost = 0.01; Model = 'gpt-4o-mini'; input_t = 120; output_t = 40; session_id = 'imported' }
                [pscustomobject]@{ Event = 'validation_fail'; Reason = 'schema mismatch'; duration_ms = 12 }
            ) | Write-ScoutAuditEvent -Path $log

            $events = Get-ScoutAuditEvent -Path $log
            $events | Should -HaveCount 2
            $events[0].InputTokens | Should -Be 120
            $events[0].OutputTokens | Should -Be 40
            $events[0].SessionId | Should -Be 'imported'
            $events[1].Event | Should -Be 'validation_fail'
            $events[1].DurationMs | Should -Be 12
        }

        It 'refuses a piped record with more than 1,024 extra fields as its own error and writes the others' {
            $many = @{}
            foreach ($i in 1..60000) { $many["f$i"] = $i }
            @(
                [pscustomobject]@{ Event = 'first' }
                [pscustomobject]@{ Event = 'many'; Property = $many }
                [pscustomobject]@{ Event = 'last' }
            ) | Write-ScoutAuditEvent -Path $log -ErrorVariable refused -ErrorAction SilentlyContinue

            $refused | Should -HaveCount 1
            $refused[0].FullyQualifiedErrorId | Should -Be 'TooManyExtraFields,ScoutAudit.PowerShell.Commands.WriteScoutAuditEventCommand'
            $refused[0].Exception.Message | Should -BeLike 'The event has 60000 extra fields; at most 1024 are allowed per event.*'
            $refused[0].TargetObject.Event | Should -Be 'many'
            (Get-ScoutAuditEvent -Path $log).Event | Should -Be @('first', 'last')
        }

        It 'never takes the log path from a piped Path property' {
            $elsewhere = Join-Path $TestDrive "elsewhere-$([guid]::NewGuid().ToString('N')).jsonl"
            [pscustomobject]@{ Event = 'nav'; Path = $elsewhere } | Write-ScoutAuditEvent -Path $log

            @(Get-ScoutAuditEvent -Path $log) | Should -HaveCount 1
            $elsewhere | Should -Not -Exist
        }
    }

    Context 'What-if runs' {
        It 'still records the event when $WhatIfPreference is set' {
            $WhatIfPreference = $true
            Write-ScoutAuditEvent nav -Reason 'what-if run' -Path $log
            $WhatIfPreference = $false

            (Get-ScoutAuditEvent -Path $log).Reason | Should -Be 'what-if run'
        }

        It 'still records the event when a runbook function is called with -WhatIf' {
            function Remove-StaleBranch {
                [CmdletBinding(SupportsShouldProcess)]
                param([string] $Branch, [string] $AuditPath)
                if ($PSCmdlet.ShouldProcess($Branch, 'Delete branch')) { throw 'must not run under -WhatIf' }
                Write-ScoutAuditEvent skip -Reason "would delete $Branch" -Path $AuditPath
            }

            Remove-StaleBranch -Branch 'feature/x' -AuditPath $log -WhatIf

            (Get-ScoutAuditEvent -Path $log).Reason | Should -Be 'would delete feature/x'
        }

        It 'has no -WhatIf parameter of its own' {
            (Get-Command Write-ScoutAuditEvent).Parameters.Keys | Should -Not -Contain 'WhatIf'
        }
    }

    Context 'Invalid arguments' {
        It 'refuses a negative cost with InvalidEventField and writes nothing' {
            { Write-ScoutAuditEvent nav -Cost -1 -Path $log } |
                Should -Throw -ErrorId 'InvalidEventField,ScoutAudit.PowerShell.Commands.WriteScoutAuditEventCommand'
            @(Get-ScoutAuditEvent -Path $log -ErrorAction SilentlyContinue) | Should -HaveCount 0
        }

        It 'names the offending value as the target of the error' {
            $failure = { Write-ScoutAuditEvent nav -Confidence 101 -Path $log } | Should -Throw -PassThru

            $failure.FullyQualifiedErrorId | Should -Be 'InvalidEventField,ScoutAudit.PowerShell.Commands.WriteScoutAuditEventCommand'
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure.TargetObject | Should -Be 101
        }

        It 'refuses a -Config that has no JSON form with InvalidConfig' {
            { Write-ScoutAuditEvent nav -Config (Get-Date) -Path $log } |
                Should -Throw -ErrorId 'InvalidConfig,ScoutAudit.PowerShell.Commands.WriteScoutAuditEventCommand'
        }

        It 'refuses an extra field named like a standard field with InvalidExtraField' {
            { Write-ScoutAuditEvent nav -Property @{ cost = 1 } -Path $log } |
                Should -Throw -ErrorId 'InvalidExtraField,ScoutAudit.PowerShell.Commands.WriteScoutAuditEventCommand'
            @(Get-ScoutAuditEvent -Path $log -ErrorAction SilentlyContinue) | Should -HaveCount 0
        }

        It 'refuses an event type with a control character with InvalidEventField' {
            { Write-ScoutAuditEvent "nav`nfake" -Path $log } |
                Should -Throw -ErrorId 'InvalidEventField,ScoutAudit.PowerShell.Commands.WriteScoutAuditEventCommand'
        }

        It 'refuses an event longer than 1 MiB as a line with EventTooLarge and writes nothing' {
            { Write-ScoutAuditEvent nav -Reason ('x' * 1.1MB) -Path $log } |
                Should -Throw -ErrorId 'EventTooLarge,ScoutAudit.PowerShell.Commands.WriteScoutAuditEventCommand'
            @(Get-ScoutAuditEvent -Path $log -ErrorAction SilentlyContinue) | Should -HaveCount 0
        }

        It 'refuses a directory as -Path with AuditLogPathIsDirectory' {
            { Write-ScoutAuditEvent nav -Path $TestDrive } |
                Should -Throw -ErrorId 'AuditLogPathIsDirectory,ScoutAudit.PowerShell.Commands.WriteScoutAuditEventCommand'
        }

        It 'refuses a path outside the file system with AuditLogPathNotFileSystem' {
            { Write-ScoutAuditEvent nav -Path Env:SCOUT_AUDIT_PATH } |
                Should -Throw -ErrorId 'AuditLogPathNotFileSystem,ScoutAudit.PowerShell.Commands.WriteScoutAuditEventCommand'
        }

        It 'refuses a cost that is not a number as a binding error that names the parameter and the value' {
            { Write-ScoutAuditEvent nav -Cost abc -Path $log } |
                Should -Throw -ErrorId 'ParameterArgumentTransformationError,ScoutAudit.PowerShell.Commands.WriteScoutAuditEventCommand' -ExpectedMessage "*parameter 'Cost'*'abc'*"
            $log | Should -Not -Exist
        }
    }
}
