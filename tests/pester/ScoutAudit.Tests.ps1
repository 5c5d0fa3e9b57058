#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The main user scenarios, for people with pwsh and Pester 5:
#   dotnet build ScoutAudit.sln; Invoke-Pester ./tests/pester
# Run by build.ps1 Test in real pwsh.

BeforeAll {
    $manifest = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'module', 'ScoutAudit.psd1')
    Import-Module ([System.IO.Path]::GetFullPath($manifest)) -Force
}

AfterAll {
    Remove-Module ScoutAudit -ErrorAction SilentlyContinue
}

Describe 'ScoutAudit' {
    BeforeEach {
        # $TestDrive belongs to the Describe: each It gets a log of its own.
        $log = [System.IO.Path]::Combine($TestDrive, "$([guid]::NewGuid()).jsonl")
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    Context 'A runbook records its work' {
        It 'writes the line the original writes' {
            Write-ScoutAudit nav -Cost 0.000003 -Model llama-3.1-8b -InputTokens 42 -OutputTokens 28 -Path $log
            Close-ScoutAuditLog -Path $log
            Get-Content $log | Should -Match '"event": "nav", "session_id": "[0-9a-f-]{36}", "cost": 3e-06, "model": "llama-3.1-8b", "input_t": 42, "output_t": 28\}$'
        }

        It 'imports usage rows from a CSV, strings and empty cells included' {
            $csv = [System.IO.Path]::Combine($TestDrive, 'usage.csv')
            Set-Content $csv -Value "Event,Cost,Model,InputTokens,OutputTokens`nnav,0.01,m,5,`ndeep,0.02,m,,7"
            Import-Csv $csv | Write-ScoutAudit -Path $log
            $events = Get-ScoutAuditEvent -Path $log
            $events.Count | Should -Be 2
            $events[0].Cost | Should -Be 0.01
            $events[0].OutputTokens | Should -BeNullOrEmpty
        }

        It 'checks the budget of the last hour' {
            Write-ScoutAudit nav -Cost 0.04 -Path $log
            Write-ScoutAudit nav -Cost 0.02 -Path $log
            (Get-ScoutSpend -Hours 1 -Path $log).Cost | Should -BeGreaterThan 0.05
        }

        It 'never drops an audit record under -WhatIf' {
            $WhatIfPreference = $true
            Write-ScoutAudit nav -Path $log
            $WhatIfPreference = $false
            @(Get-ScoutAuditEvent -Path $log).Count | Should -Be 1
        }

        It 'names the invalid field in the error' {
            { Write-ScoutAudit nav -Cost -1 -Path $log } | Should -Throw -ErrorId 'InvalidEventField,ScoutAudit.PowerShell.Commands.WriteScoutAuditCommand'
        }
    }

    Context 'Someone looks at the log' {
        BeforeEach {
            Write-ScoutAudit nav -Model a -Cost 0.5 -Path $log
            Write-ScoutAudit validation_fail -Reason 'bad path' -Path $log
            Write-ScoutAudit nav -Model b -Cost 1 -Path $log
        }

        It 'gets the navigation events of the last hour' {
            $found = Get-ScoutAuditEvent -Since (Get-Date).AddHours(-1) -Path $log | Where-Object Event -eq nav
            $found.Model | Should -Be @('a', 'b')
            $found[0].Timestamp | Should -BeGreaterThan (Get-Date).AddHours(-1)
        }

        It 'stops reading when the pipeline has enough' {
            @(Get-ScoutAuditEvent -Path $log | Select-Object -First 1).Count | Should -Be 1
        }

        It 'breaks spend down by model' {
            $rows = Get-ScoutSpend -By Model -Path $log
            $rows[0].Group | Should -Be 'b'
            $rows[0].Cost | Should -Be 1
        }

        It 'reports accuracy as the original does' {
            $accuracy = Get-ScoutAccuracy -Path $log
            $accuracy.TotalNav | Should -Be 2
            $accuracy.ValidationFailCount | Should -Be 1
            $accuracy.AccuracyPct | Should -Be 50
        }

        It 'shows the original field names as aliases' {
            (Get-ScoutAuditEvent -Path $log -Last 1).session_id | Should -Not -BeNullOrEmpty
        }
    }

    Context 'An operator manages the log' {
        It 'syncs every event when asked' {
            Set-ScoutAuditLog -Path $log -SyncPolicy EveryEvent
            Write-ScoutAudit nav -Path $log
            (Get-ScoutAuditLog -Path $log).UnsyncedLines | Should -Be 0
        }

        It 'rotates on demand and still answers from the archive' {
            Write-ScoutAudit nav -Cost 1 -Path $log
            Invoke-ScoutAuditRotate -Path $log -WhatIf
            (Get-ScoutAuditLog -Path $log).Archives | Should -Be 0
            $archive = Invoke-ScoutAuditRotate -Path $log -Confirm:$false
            $archive.Path | Should -Match '_\d{8}_\d{6}.*\.jsonl\.gz$'
            (Get-ScoutSpend -Path $log).Cost | Should -Be 1
        }

        It 'closes every log from Get-ScoutAuditLog output' {
            Write-ScoutAudit nav -Path $log
            Get-ScoutAuditLog -Path $log | Close-ScoutAuditLog
            (Get-ScoutAuditLog -Path $log).UnsyncedLines | Should -Be 0
        }
    }
}
