#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What a person at an 80-column console sees (issue 13, item 7): the default views fit uncut,
# costs read the same in every culture, help keeps its related links, errors are one line.
# The culture tests run a child pwsh (dotnet $PSHOME/pwsh.dll -File), whose culture is its own.

BeforeDiscovery {
    $errorCases = @(
        @{ Command = 'Write-ScoutAuditEvent nav -Cost -1 -Path $log'; ErrorId = 'InvalidEventField'; Start = "Cannot validate argument on parameter 'Cost'. Cost must be a finite number of 0 or more; got -1." }
        @{ Command = 'Write-ScoutAuditEvent nav -InputTokens -5 -Path $log'; ErrorId = 'InvalidEventField'; Start = "Cannot validate argument on parameter 'InputTokens'." }
        @{ Command = 'Write-ScoutAuditEvent nav -Confidence 200 -Path $log'; ErrorId = 'InvalidEventField'; Start = "Cannot validate argument on parameter 'Confidence'." }
        @{ Command = 'Write-ScoutAuditEvent nav -Config ''{x'' -Path $log'; ErrorId = 'InvalidConfig'; Start = '-Config is a string that is not JSON' }
        @{ Command = 'Write-ScoutAuditEvent nav -Property @{ cost = 1 } -Path $log'; ErrorId = 'InvalidExtraField'; Start = "The extra field name 'cost' is reserved" }
        @{ Command = 'Get-ScoutAuditSpend -Since ''2026-02-02'' -Until ''2026-02-01'' -Path $log'; ErrorId = 'InvalidTimeWindow'; Start = "Cannot validate argument on parameter 'Since'." }
        @{ Command = 'Set-ScoutAuditLog -SyncInterval ''2:00:00'' -Path $log'; ErrorId = 'InvalidLogSetting'; Start = "Cannot validate argument on parameter 'SyncInterval'." }
        @{ Command = 'Get-ScoutAuditEvent -Path Env:/x'; ErrorId = 'AuditLogPathNotFileSystem'; Start = "The audit log path 'Env:/x' is in the Environment provider" }
        @{ Command = 'Get-ScoutAuditEvent -Path $TestDrive'; ErrorId = 'AuditLogPathIsDirectory'; Start = 'The audit log path ' }
    )
}

Describe 'What people see' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/../../module/ScoutAudit.psd1")) -Force

        function Get-TableRow {
            # The rows of a table as Out-String -Width 80 prints it: the lines after the dashes under the headers.
            param([Parameter(Mandatory)] [string] $Text)
            $lines = $Text -split '\r?\n' | Where-Object { $_.Trim() }
            $dashes = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($l) $l -match '^\s*-{2,}( +-+)+\s*$' })
            [pscustomobject]@{ Header = $lines[$dashes - 1]; HeaderLines = $dashes; Rows = @($lines[($dashes + 1)..($lines.Count - 1)]); All = $lines }
        }
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
    }

    BeforeEach {
        $log = New-TestLogPath $TestDrive
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    Context 'The default views at 80 columns' {
        It 'shows Timestamp, Event, Model, Cost and tokens of typical events uncut, one line each' {
            Write-ScoutAuditEvent validation_fail -Model llama-3.1-8b -Path $log
            Write-ScoutAuditEvent tldr_auto_generated -Cost 0.000003 -Model claude-3-5-sonnet -InputTokens 123456 -OutputTokens 654321 -Reason 'summarised the module' -Path $log
            Write-ScoutAuditEvent nav -Cost 12.5 -Model gpt-4o-mini -InputTokens 42 -OutputTokens 28 -Path $log
            $events = Get-ScoutAuditEvent -Path $log

            $table = Get-TableRow ($events | Out-String -Width 80)

            $table.HeaderLines | Should -Be 1 -Because 'no header may wrap onto a second line'
            $table.Header | Should -Match '^Timestamp +Event +Model +Cost +In +Out +Reason$'
            $table.All | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
            $table.Rows | Should -HaveCount 3
            $table.Rows[0] | Should -Match ('^{0} validation_fail +llama-3\.1-8b\s*$' -f [regex]::Escape($events[0].Timestamp.ToString('MM-dd HH:mm')))
            $table.Rows[1] | Should -Match '^\d\d-\d\d \d\d:\d\d tldr_auto_generated claude-3-5-sonnet 0\.000003 123456 654321 \S'
            $table.Rows[2] | Should -Match '^\d\d-\d\d \d\d:\d\d nav +gpt-4o-mini +12\.5 +42 +28\s*$'
        }

        It 'rounds a cost too long for its column instead of cutting it on its left' {
            Write-ScoutAuditEvent nav -Cost 0.123456789 -Model gpt-4o-mini -Path $log

            $table = Get-TableRow (Get-ScoutAuditEvent -Path $log | Out-String -Width 80)

            $table.Rows[0] | Should -Match ' gpt-4o-mini +0\.123457 '
        }

        It 'shows the spend table uncut: Group, Cost, Events, In, Out, Since, Until' {
            Write-ScoutAuditEvent tldr_auto_generated -Cost 0.000003 -Model claude-3-5-sonnet -InputTokens 123456 -OutputTokens 654321 -Path $log
            Write-ScoutAuditEvent nav -Cost 12.5 -Model gpt-4o-mini -InputTokens 42 -OutputTokens 28 -Path $log
            $since = (Get-Date).AddHours(-1)

            $table = Get-TableRow (Get-ScoutAuditSpend -By Event -Since $since -Until $since.AddHours(2) -Path $log | Out-String -Width 80)

            $table.HeaderLines | Should -Be 1
            $table.Header | Should -Match '^Group +Cost +Events +In +Out +Since +Until$'
            $table.All | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
            $table.Rows[0] | Should -Match ('^nav +12\.5 +1 +42 +28 {0} {1}\s*$' -f $since.ToString('MM-dd HH:mm'), $since.AddHours(2).ToString('MM-dd HH:mm'))
            $table.Rows[1] | Should -Match '^tldr_auto_generated +0\.000003 +1 +123456 +654321 '
        }

        It 'shows the accuracy table uncut' {
            Write-ScoutAuditEvent nav -Path $log
            Write-ScoutAuditEvent nav -Path $log
            Write-ScoutAuditEvent nav -Path $log
            Write-ScoutAuditEvent validation_fail -Path $log
            $since = (Get-Date).AddDays(-1)

            $table = Get-TableRow (Get-ScoutAuditAccuracy -Since $since -Until $since.AddDays(2) -Path $log | Out-String -Width 80)

            $table.HeaderLines | Should -Be 1
            $table.Header | Should -Match '^ *TotalNav +ValidationFailCount +AccuracyPct +Since +Until$'
            $table.Rows[0] | Should -Match ('^ +3 +1 +66\.67 {0} {1}\s*$' -f $since.ToString('yyyy-MM-dd HH:mm'), $since.AddDays(2).ToString('yyyy-MM-dd HH:mm'))
        }

        It 'shows what Send-ScoutAuditEvent delivered as a table uncut, the endpoint once above it' {
            Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/OtlpReceiver.psm1")) -Force
            $receiver = Start-OtlpReceiver
            try {
                1..3 | ForEach-Object { Write-ScoutAuditEvent nav -Path $log }
                Close-ScoutAuditLog -Path $log
                $endpoint = "$($receiver.Endpoint)?api_key=hunter2"

                $table = Get-TableRow (Send-ScoutAuditEvent -Endpoint $endpoint -Path $log -BatchSize 2 | Out-String -Width 80)

                $table.All[0] | Should -Match '^ *Endpoint: http://127\.0\.0\.1:\d+/v1/logs\?api_key=\*\*\*$' -Because 'the endpoint is said once, above its logs, whole'
                $table.Header | Should -Match '^Log +Sent +Rejected +Batches +LastId$'
                $table.Rows[0] | Should -Match '^/\S+ +3 +0 +2 +\d+$'
                ($table.Rows | ForEach-Object { ($_ -split ' ')[0] }) -join '' | Should -Be $log -Because 'a long path wraps, whole, rather than being cut'
                $table.All | Should -Not -Match 'hunter2'
                $table.All | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
            }
            finally {
                Stop-OtlpReceiver $receiver
            }
        }

        It 'shows every setting of Get-ScoutAuditLog, UnsyncedLines included, with a long path' {
            $deep = Join-Path $TestDrive ('a-rather-long-directory-name-{0}' -f [guid]::NewGuid())
            $null = New-Item -ItemType Directory $deep
            $longLog = Join-Path $deep 'audit.jsonl'
            try {
                Write-ScoutAuditEvent nav -Path $longLog

                $text = Get-ScoutAuditLog -Path $longLog | Out-String -Width 80
                $lines = $text -split '\r?\n'

                $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
                # A path longer than the line goes on under itself (below the value column, which the longest label sets), in full.
                $label = [regex]::Match($text, '(?m)^Path +: ').Value
                ($text -replace ('\r?\n {{{0}}}(?=\S)' -f $label.Length), '') -split '\r?\n' | Should -Contain "$label$longLog"
                $text | Should -Match '(?m)^UnsyncedLines +: \d+\s*$'
                $text | Should -Match '(?m)^SyncPolicy +: Cadence \(10 lines / 1 s\)\s*$'
            }
            finally {
                Close-ScoutAuditLog -Path $longLog
            }
        }
    }

    Context 'Costs in every culture' {
        It 'prints costs as the log has them in the table and the list of a de-DE pwsh' {
            Write-ScoutAuditEvent nav -Cost 0.000003 -Model llama-3.1-8b -Path $log
            Write-ScoutAuditEvent deep -Cost 12.5 -Model gpt-4o-mini -Path $log
            Close-ScoutAuditLog -Path $log
            $script = Join-Path $TestDrive "culture-$([guid]::NewGuid()).ps1"
            Set-Content -LiteralPath $script -Value @'
param([string] $Log)
[cultureinfo]::CurrentCulture = 'de-DE'
Import-Module $env:SCOUT_TEST_MODULE
"decimal separator: $((Get-Culture).NumberFormat.NumberDecimalSeparator)"
Get-ScoutAuditEvent -Path $Log | Out-String -Width 80
Get-ScoutAuditEvent -Path $Log | Format-List | Out-String -Width 80
Get-ScoutAuditSpend -By Model -Path $Log | Out-String -Width 80
Get-ScoutAuditSpend -Path $Log | Format-List | Out-String -Width 80
'@
            $environment = @{ HOME = $TestDrive; SCOUT_AUDIT_PATH = (Join-Path $TestDrive 'default.jsonl'); LANG = 'de_DE.UTF-8' }

            $result = Invoke-ChildPwsh -Environment $environment -ArgumentList '-File', $script, '-Log', $log

            $result.ExitCode | Should -Be 0 -Because $result.StdErr
            $result.StdOut | Should -Match 'decimal separator: ,' -Because 'the child runs in de-DE'
            $result.StdOut | Should -Match '(?m) nav +llama-3\.1-8b +0\.000003\s*$'
            $result.StdOut | Should -Match '(?m) deep +gpt-4o-mini +12\.5\s*$'
            $result.StdOut | Should -Match '(?m)^Cost +: 0\.000003\s*$'
            $result.StdOut | Should -Match '(?m)^Cost +: 12\.5\s*$'
            $result.StdOut | Should -Match '(?m)^llama-3\.1-8b +0\.000003 '
            $result.StdOut | Should -Match '(?m)^Cost +: 12\.500003\s*$'
            $result.StdOut | Should -Not -Match '0,000003|12,5'
        }
    }

    Context 'Help' {
        It 'shows the related links of the page in Get-Help -Full' {
            $text = Get-Help Get-ScoutAuditSpend -Full | Out-String -Width 200

            $links = $text.Substring($text.IndexOf('RELATED LINKS'))
            $links | Should -Match '(?m)^\s+Write-ScoutAuditEvent\s*$'
            $links | Should -Match '(?m)^\s+Get-ScoutAuditEvent\s*$'
            $links | Should -Match '(?m)^\s+Get-ScoutAuditAccuracy\s*$'
        }
    }

    Context 'Error messages' {
        It 'reports <ErrorId> in one line that says the value once: <Command>' -ForEach $errorCases {
            $caught = $null
            try { Invoke-Expression "$Command -ErrorAction Stop" } catch { $caught = $_ }

            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $message = "$caught"
            $message | Should -Not -Match '[\r\n]'
            $message | Should -Not -Match "\(Parameter '"
            $message | Should -Not -Match 'Actual value was'
            $message.StartsWith($Start) | Should -BeTrue -Because $message
        }

        It 'shows the -Cost error on one line at the console of a pwsh -File' {
            $script = Join-Path $TestDrive "error-$([guid]::NewGuid()).ps1"
            Set-Content -LiteralPath $script -Value @'
param([string] $Log)
Import-Module $env:SCOUT_TEST_MODULE
Write-ScoutAuditEvent nav -Cost -1 -Path $Log
'@
            $environment = @{ HOME = $TestDrive; SCOUT_AUDIT_PATH = (Join-Path $TestDrive 'default.jsonl'); NO_COLOR = '1' }

            $result = Invoke-ChildPwsh -Environment $environment -ArgumentList '-File', $script, '-Log', $log

            # The console's error view wraps a long message at its width; the message itself is one line.
            $message = ($result.StdErr -split '\r?\n' | Where-Object { $_ -match '^\s+\| (?!\s*~)' } | ForEach-Object { $_ -replace '^\s+\| ', '' }) -join ' '
            $message | Should -Be "Cannot validate argument on parameter 'Cost'. Cost must be a finite number of 0 or more; got -1."
            $result.StdErr | Should -Not -Match 'Actual value was'
            ([regex]::Matches($result.StdErr, 'got -1')).Count | Should -Be 1
        }
    }
}
