#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Everyday interactive use: events and spend in pipelines with PowerShell's own cmdlets, the views,
# tab completion and help.

Describe 'Everyday pipelines and the console' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force
        $savedAuditPath = $env:SCOUT_AUDIT_PATH
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
        $env:SCOUT_AUDIT_PATH = $savedAuditPath
    }

    BeforeEach {
        $log = New-TestLogPath $TestDrive
        $env:SCOUT_AUDIT_PATH = New-TestLogPath $TestDrive -Name 'default'
        Write-ScoutAuditEvent nav -Cost 0.000003 -Model llama-3.1-8b -InputTokens 42 -OutputTokens 28 -Reason 'open the definition' -Path $log
        Write-ScoutAuditEvent deep -Cost 0.0125 -Model gpt-4o-mini -InputTokens 1200 -OutputTokens 310 -Path $log
        Write-ScoutAuditEvent nav -Cost 0.002 -Model gpt-4o-mini -InputTokens 300 -OutputTokens 40 -Path $log
        Write-ScoutAuditEvent validation_fail -Model llama-3.1-8b -Reason 'answer failed the schema' -Path $log
        Write-ScoutAuditEvent brief -Cost 0.5 -Model claude-sonnet -InputTokens 9000 -OutputTokens 800 -Path $log
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
        Close-ScoutAuditLog -Path $env:SCOUT_AUDIT_PATH
    }

    Context 'Events in pipelines' {
        It 'finds the three most expensive events with Sort-Object and Select-Object' {
            $top = Get-ScoutAuditEvent -Path $log | Sort-Object Cost -Descending | Select-Object -First 3

            $top.Cost | Should -Be @(0.5, 0.0125, 0.002)
            $top.Event | Should -Be @('brief', 'deep', 'nav')
        }

        It 'groups events by model with Group-Object' {
            $groups = Get-ScoutAuditEvent -Path $log | Group-Object Model | Sort-Object Name

            $groups.Name | Should -Be @('claude-sonnet', 'gpt-4o-mini', 'llama-3.1-8b')
            $groups | ForEach-Object Count | Should -Be @(1, 2, 2)
        }

        It 'totals cost and tokens with Measure-Object' {
            $measure = Get-ScoutAuditEvent -Path $log | Measure-Object Cost, OutputTokens -Sum

            $measure[0].Sum | Should -BeGreaterThan 0.514502
            $measure[0].Sum | Should -BeLessThan 0.514504
            $measure[1].Sum | Should -Be 1178
        }

        It 'filters on Timestamp against Get-Date with Where-Object' {
            $recent = Get-ScoutAuditEvent -Path $log | Where-Object Timestamp -GT (Get-Date).AddMinutes(-5)

            $recent | Should -HaveCount 5
            Get-ScoutAuditEvent -Path $log | Where-Object Timestamp -GT (Get-Date).AddMinutes(1) | Should -BeNullOrEmpty
        }

        It 'stops reading the log when Select-Object -First has enough' {
            $line = New-ScoutAuditLine ([datetime]::UtcNow) nav -Field @{ cost = 0.1 }
            $lines = [string[]]::new(60001)
            for ($i = 0; $i -lt 60000; $i++) { $lines[$i] = $line }
            $lines[60000] = 'a damaged last line'
            $big = New-TestLogPath $TestDrive -Name 'big'
            Set-ScoutAuditLogContent -Path $big -Line $lines
            $verboseFile = Join-Path $TestDrive "verbose-$([guid]::NewGuid().ToString('N')).txt"

            $first = Get-ScoutAuditEvent -Path $big -Verbose 4> $verboseFile | Select-Object -First 2

            $first | Should -HaveCount 2
            Get-Content -LiteralPath $verboseFile | Should -Not -Match 'Skipped line'
        }

        It 'converts spend by model to JSON with the documented property names' {
            $json = Get-ScoutAuditSpend -By Model -Path $log | ConvertTo-Json
            $rows = $json | ConvertFrom-Json

            $rows.Group | Should -Be @('claude-sonnet', 'gpt-4o-mini', 'llama-3.1-8b')
            $rows.Cost | Should -Be @(0.5, 0.0145, 0.000003)
            $rows.Events | Should -Be @(1, 2, 2)
            $rows[0].PSObject.Properties.Name | Should -Be @('Group', 'Cost', 'Events', 'InputTokens', 'OutputTokens', 'Since', 'Until', 'Path')
            $rows[0].Path | Should -Be $log
        }

        It 'converts events to JSON with the standard property names' {
            $row = Get-ScoutAuditEvent -Last 1 -Path $log | ConvertTo-Json -Depth 3 | ConvertFrom-Json

            $row.Event | Should -Be 'brief'
            $row.Model | Should -Be 'claude-sonnet'
            $row.Cost | Should -Be 0.5
            $row.InputTokens | Should -Be 9000
        }
    }

    Context 'What the console shows' {
        It 'shows every field of the last event with Format-List *' {
            $text = Get-ScoutAuditEvent -Last 1 -Path $log | Format-List * | Out-String

            $text | Should -Match '(?m)^Event\s+: brief\s*$'
            $text | Should -Match '(?m)^Model\s+: claude-sonnet\s*$'
            $text | Should -Match '(?m)^Cost\s+: 0\.5\s*$'
            $text | Should -Match '(?m)^InputTokens\s+: 9000\s*$'
            $text | Should -Match '(?m)^SessionId\s+: [0-9a-f-]{36}\s*$'
        }

        It 'shows the list view with the timestamp to the millisecond' {
            $event = Get-ScoutAuditEvent -Last 1 -Path $log
            $text = $event | Format-List | Out-String

            $text | Should -Match ('(?m)^Timestamp\s+: {0}\s*$' -f [regex]::Escape($event.Timestamp.ToString('yyyy-MM-dd HH:mm:ss.fff')))
            $text | Should -Match '(?m)^Event\s+: brief\s*$'
        }

        It 'shows events as a table at 80 columns: Timestamp, Event, Model, Cost, In, Out uncut, one line per event' {
            $events = Get-ScoutAuditEvent -Path $log
            $lines = ($events | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() }
            $separator = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($l) $l -match '^-{9}\s' })
            $rows = $lines[($separator + 1)..($lines.Count - 1)]

            $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
            $separator | Should -Be 1 -Because 'the headers fit on one line'
            $lines[0] | Should -Match '^Timestamp +Event +Model +Cost +In +Out +Reason$'
            $rows | Should -HaveCount 5 -Because 'no event may wrap onto a second line'
            for ($i = 0; $i -lt 5; $i++) {
                $rows[$i] | Should -Match ('^{0} {1} ' -f [regex]::Escape($events[$i].Timestamp.ToString('MM-dd HH:mm')), $events[$i].Event)
            }
            $rows[0] | Should -Match '\snav +llama-3\.1-8b +0\.000003 +42 +28 \S'
            $rows[1] | Should -Match '\sdeep +gpt-4o-mini +0\.0125 +1200 +310\s*$'
            $rows[3] | Should -Match '\svalidation_fail +llama-3\.1-8b +\S'
            $rows[4] | Should -Match '\sbrief +claude-sonnet +0\.5 +9000 +800\s*$'
        }

        It 'shows spend costs in full in its table' {
            $text = Get-ScoutAuditSpend -By Model -Path $log | Out-String -Width 80

            $text | Should -Match '(?m)^Group +Cost +Events +In +Out +Since +Until$'
            $text | Should -Match '(?m)^llama-3\.1-8b\s+0\.000003\s+2\s+42\s+28\b'
        }

        It 'shows the accuracy report as a table' {
            $text = Get-ScoutAuditAccuracy -Path $log | Out-String -Width 80

            $text | Should -Match '(?m)^TotalNav\s+ValidationFailCount\s+AccuracyPct'
            $text | Should -Match '(?m)^\s*2\s+1\s+50\b'
        }
    }

    Context 'Tab completion and help' {
        It 'completes the event types Scout knows for Write-ScoutAuditEvent' {
            $script = 'Write-ScoutAuditEvent '
            $completions = (TabExpansion2 -inputScript $script -cursorColumn $script.Length).CompletionMatches.CompletionText

            $completions | Should -Contain 'nav'
            $completions | Should -Contain 'validation_fail'
            $completions | Should -Contain 'roast_with_docs'
            $completions | Should -HaveCount 17
        }

        It 'completes a partial event type for Get-ScoutAuditEvent -Event' {
            $script = 'Get-ScoutAuditEvent -Event tl'
            $completions = (TabExpansion2 -inputScript $script -cursorColumn $script.Length).CompletionMatches.CompletionText

            $completions | Should -Be @('tldr', 'tldr_auto_generated')
        }

        It 'completes the -By groups of Get-ScoutAuditSpend' {
            $script = 'Get-ScoutAuditSpend -By '
            $completions = (TabExpansion2 -inputScript $script -cursorColumn $script.Length).CompletionMatches.CompletionText

            foreach ($group in 'Model', 'Event', 'SessionId', 'Hour', 'Day') { $completions | Should -Contain $group }
        }

        It 'shows a written synopsis and examples in Get-Help <Name>' -ForEach @(
            foreach ($name in 'Write-ScoutAuditEvent', 'Get-ScoutAuditEvent', 'Get-ScoutAuditSpend', 'Get-ScoutAuditAccuracy',
                'Invoke-ScoutAuditRotation', 'Get-ScoutAuditLog', 'Set-ScoutAuditLog', 'Close-ScoutAuditLog') { @{ Name = $name } }
        ) {
            $help = Get-Help $Name -Full

            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis | Should -Not -Match "^\s*$Name\s*\["   # the fallback PowerShell shows when help is missing
            @($help.Examples.Example) | Should -Not -BeNullOrEmpty
            (@($help.Examples.Example).Code -join "`n") | Should -Match ([regex]::Escape($Name))
            Get-Help $Name -Examples | Out-String | Should -Match 'Example 1'
        }
    }
}
