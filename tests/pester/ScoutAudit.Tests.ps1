#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module as a whole, in real pwsh: what it exports, importing and removing it, logs found on
# disk, and one runbook's day through every cmdlet. Each cmdlet has its own file beside this one:
#   Write-ScoutAuditEvent, Queries, LogManagement, Pipelines, UsersOwnTests, Processes (*.Tests.ps1)
# Run: Invoke-Pester ./tests/pester (Pester 5.7.1; module built with dotnet build ScoutAudit.sln).
# CI, which has no pwsh, checks that this file parses and names every cmdlet
# (tests/ScoutAudit.PowerShell.Tests/ScriptParseTests.cs).

Describe 'The ScoutAudit module' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        $modulePath = Get-ScoutAuditModulePath
        Import-Module $modulePath -Force
        $savedAuditPath = $env:SCOUT_AUDIT_PATH
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
        $env:SCOUT_AUDIT_PATH = $savedAuditPath
    }

    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        $log = Join-Path $folder 'audit.jsonl'
        $env:SCOUT_AUDIT_PATH = Join-Path $folder 'default.jsonl'
    }

    AfterEach {
        if (Get-Module ScoutAudit) {
            Close-ScoutAuditLog -Path $log
            Close-ScoutAuditLog -Path $env:SCOUT_AUDIT_PATH
        }
    }

    Context 'Importing and removing' {
        It 'exports exactly its fourteen cmdlets, and the design card''s names as aliases' {
            (Get-Module ScoutAudit).ExportedCmdlets.Keys | Sort-Object | Should -Be @(
                'Close-ScoutAuditLog', 'Export-ScoutAuditReport', 'Get-ScoutAuditAccuracy', 'Get-ScoutAuditArchive', 'Get-ScoutAuditEvent', 'Get-ScoutAuditLog',
                'Get-ScoutAuditSpend', 'Invoke-ScoutAuditRotation', 'Register-ScoutAuditArchive', 'Remove-ScoutAuditArchive', 'Send-ScoutAuditEvent',
                'Set-ScoutAuditLog', 'Test-ScoutAuditLog', 'Write-ScoutAuditEvent')
            (Get-Module ScoutAudit).ExportedAliases.Keys | Sort-Object | Should -Be @('Get-ScoutAccuracy', 'Get-ScoutSpend', 'Invoke-ScoutAuditRotate', 'Write-ScoutAudit')
            Get-Command -Module ScoutAudit | ForEach-Object CommandType | Select-Object -Unique | Sort-Object | Should -Be 'Alias', 'Cmdlet'
        }

        It 'goes on writing to an open log when a script imports the module again with -Force' {
            Write-ScoutAuditEvent nav -Cost 1 -Path $log
            Import-Module $modulePath -Force
            Write-ScoutAuditEvent nav -Cost 2 -Path $log

            (Get-ScoutAuditEvent -Path $log).Cost | Should -Be @(1, 2)
        }

        It 'forgets the session settings of a log when the module is removed, keeping its events' {
            Set-ScoutAuditLog -Path $log -SyncPolicy None -RotationSize 1MB
            Write-ScoutAuditEvent nav -Path $log
            Remove-Module ScoutAudit
            Import-Module $modulePath

            $info = Get-ScoutAuditLog -Path $log
            $info.SyncPolicy | Should -Be 'Cadence'
            $info.RotationSize | Should -Be 10MB
            $info.UnsyncedLines | Should -Be 0
            @(Get-ScoutAuditEvent -Path $log) | Should -HaveCount 1
        }
    }

    Context 'Logs found on disk' {
        It 'reads every log of a folder piped from Get-ChildItem' {
            Write-ScoutAuditEvent nav -Cost 1 -Path (Join-Path $folder 'a.jsonl')
            Write-ScoutAuditEvent nav -Cost 2 -Path (Join-Path $folder 'b.jsonl')
            Close-ScoutAuditLog -Path (Join-Path $folder 'a.jsonl'), (Join-Path $folder 'b.jsonl')

            (Get-ChildItem -LiteralPath $folder -Filter '*.jsonl' | Sort-Object Name | Get-ScoutAuditEvent).Cost | Should -Be @(1, 2)
        }

        It 'sums the spend of each log piped from Get-ChildItem' {
            Write-ScoutAuditEvent nav -Cost 1 -Path (Join-Path $folder 'a.jsonl')
            Write-ScoutAuditEvent nav -Cost 2 -Path (Join-Path $folder 'b.jsonl')
            Write-ScoutAuditEvent nav -Cost 3 -Path (Join-Path $folder 'b.jsonl')
            Close-ScoutAuditLog -Path (Join-Path $folder 'a.jsonl'), (Join-Path $folder 'b.jsonl')

            (Get-ChildItem -LiteralPath $folder -Filter '*.jsonl' | Sort-Object Name | Get-ScoutAuditSpend).Cost | Should -Be @(1, 5)
        }

        It 'accepts a provider-qualified path' {
            Write-ScoutAuditEvent nav -Reason 'qualified' -Path "Microsoft.PowerShell.Core\FileSystem::$log"

            (Get-ScoutAuditEvent -Path $log).Reason | Should -Be 'qualified'
        }

        It 'creates missing folders of a new log, readable by their owner only' -Skip:($IsWindows) {
            $nested = Join-Path $folder 'new/logs/audit.jsonl'
            Write-ScoutAuditEvent nav -Path $nested
            Close-ScoutAuditLog -Path $nested

            $nested | Should -Exist
            (Get-Item -LiteralPath (Join-Path $folder 'new')).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        }
    }

    Context "A runbook's day" {
        It 'answers the same questions after the log is rotated and closed' {
            Set-ScoutAuditLog -Path $log -SyncPolicy EveryEvent
            Write-ScoutAuditEvent nav -Cost 0.000003 -Model llama-3.1-8b -InputTokens 42 -OutputTokens 28 -Path $log
            Write-ScoutAuditEvent validation_fail -Model llama-3.1-8b -Reason 'answer failed the schema' -Path $log
            Write-ScoutAuditEvent nav -Cost 0.02 -Model gpt-4o-mini -InputTokens 900 -OutputTokens 100 -Path $log
            $before = @{
                Events   = (Get-ScoutAuditEvent -Path $log).Event -join ','
                Spend    = (Get-ScoutAuditSpend -Hours 1 -Path $log).Cost
                Accuracy = (Get-ScoutAuditAccuracy -Path $log).AccuracyPct
            }

            Invoke-ScoutAuditRotation -Path $log -Confirm:$false | Out-Null
            Write-ScoutAuditEvent budget -Reason 'end of day' -Path $log
            Get-ScoutAuditLog -Path $log | Close-ScoutAuditLog

            $before.Spend | Should -Be 0.020003
            $before.Accuracy | Should -Be 50
            (Get-ScoutAuditEvent -Path $log).Event -join ',' | Should -Be "$($before.Events),budget"
            (Get-ScoutAuditSpend -Hours 1 -Path $log).Cost | Should -Be $before.Spend
            (Get-ScoutAuditAccuracy -Path $log).AccuracyPct | Should -Be $before.Accuracy
            (Get-ScoutAuditLog -Path $log).Archives | Should -Be 1
        }
    }
}
