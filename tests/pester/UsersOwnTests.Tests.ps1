#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What users' own Pester tests do with the module: mock its cmdlets in their code, point it at a
# temporary log, feed it CSV files and export its events.

Describe "A user's tests of their own runbook" {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/UserRunbook.psm1")) -Force
        $savedAuditPath = $env:SCOUT_AUDIT_PATH

        $modelCall = { [pscustomobject]@{ Text = 'answer'; Cost = 0.001; InputTokens = 42; OutputTokens = 28; ApiKey = 'sk-live-0123456789abcdef' } }
    }

    AfterAll {
        Remove-Module UserRunbook -ErrorAction SilentlyContinue
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
        $env:SCOUT_AUDIT_PATH = $savedAuditPath
    }

    BeforeEach {
        $env:SCOUT_AUDIT_PATH = New-TestLogPath $TestDrive -Name 'default'
    }

    AfterEach {
        Close-ScoutAuditLog -Path $env:SCOUT_AUDIT_PATH
    }

    Context 'With the ScoutAudit cmdlets mocked' {
        BeforeEach {
            Mock Write-ScoutAuditEvent -ModuleName UserRunbook
        }

        It 'records a budget event and skips the call when the last hour is over budget' {
            Mock Get-ScoutAuditSpend -ModuleName UserRunbook { [pscustomobject]@{ Cost = 0.07; Events = 12 } }
            $script:called = $false

            $result = Invoke-GuardedModelCall -Call { $script:called = $true } -HourlyBudget 0.05

            $result | Should -BeNullOrEmpty
            $script:called | Should -BeFalse
            Should -Invoke Write-ScoutAuditEvent -ModuleName UserRunbook -Times 1 -Exactly -ParameterFilter {
                $Event -eq 'budget' -and $Reason -eq 'hourly budget 0.05 exceeded: 0.07'
            }
            Should -Invoke Write-ScoutAuditEvent -ModuleName UserRunbook -Times 0 -Exactly -ParameterFilter { $Event -eq 'nav' }
        }

        It 'records the call with its cost, model and tokens when under budget' {
            Mock Get-ScoutAuditSpend -ModuleName UserRunbook { [pscustomobject]@{ Cost = 0.01; Events = 2 } }

            $result = Invoke-GuardedModelCall -Call $modelCall -Model gpt-4o-mini

            $result | Should -Be 'answer'
            Should -Invoke Write-ScoutAuditEvent -ModuleName UserRunbook -Times 1 -Exactly -ParameterFilter {
                $Event -eq 'nav' -and $Cost -eq 0.001 -and $Model -eq 'gpt-4o-mini' -and $InputTokens -eq 42 -and $OutputTokens -eq 28
            }
        }

        It 'asks for the spend of the last hour' {
            Mock Get-ScoutAuditSpend -ModuleName UserRunbook { [pscustomobject]@{ Cost = 0 } }

            Invoke-GuardedModelCall -Call $modelCall | Out-Null

            Should -Invoke Get-ScoutAuditSpend -ModuleName UserRunbook -Times 1 -Exactly -ParameterFilter { $Hours -eq 1 -and -not $Path }
        }

        It 'passes the audit path through to both cmdlets' {
            Mock Get-ScoutAuditSpend -ModuleName UserRunbook { [pscustomobject]@{ Cost = 0 } }
            $custom = Join-Path $TestDrive 'custom.jsonl'

            Invoke-GuardedModelCall -Call $modelCall -AuditPath $custom | Out-Null

            Should -Invoke Get-ScoutAuditSpend -ModuleName UserRunbook -Times 1 -Exactly -ParameterFilter { $Path -eq $custom }
            Should -Invoke Write-ScoutAuditEvent -ModuleName UserRunbook -Times 1 -Exactly -ParameterFilter { $Path -eq $custom }
        }

        It 'writes nothing to any log while Write-ScoutAuditEvent is mocked' {
            Mock Get-ScoutAuditSpend -ModuleName UserRunbook { [pscustomobject]@{ Cost = 0 } }

            Invoke-GuardedModelCall -Call $modelCall | Out-Null

            $env:SCOUT_AUDIT_PATH | Should -Not -Exist
        }

        It 'mocks Write-ScoutAuditEvent called from the test script itself, -PassThru object included' {
            Mock Write-ScoutAuditEvent { [pscustomobject]@{ Event = $Event; Cost = $Cost } }

            $written = Write-ScoutAuditEvent deep -Cost 0.5 -PassThru

            $written.Event | Should -Be 'deep'
            Should -Invoke Write-ScoutAuditEvent -Times 1 -Exactly -ParameterFilter { $PassThru -and $Cost -eq 0.5 }
            $env:SCOUT_AUDIT_PATH | Should -Not -Exist
        }
    }

    Context 'With the real module on a temporary log' {
        It 'lets the runbook refuse once the real spend of the last hour is over budget' {
            Write-ScoutAuditEvent nav -Cost 0.0495 -Model llama-3.1-8b

            Invoke-GuardedModelCall -Call $modelCall | Should -Be 'answer'
            Invoke-GuardedModelCall -Call $modelCall | Should -BeNullOrEmpty

            (Get-ScoutAuditEvent).Event | Should -Be @('nav', 'nav', 'budget')
            (Get-ScoutAuditEvent budget).Reason | Should -Be 'hourly budget 0.05 exceeded: 0.0505'
        }

        It "keeps the runbook's API key out of the log" {
            Invoke-GuardedModelCall -Call $modelCall | Out-Null
            Close-ScoutAuditLog

            Get-Content -LiteralPath $env:SCOUT_AUDIT_PATH -Raw | Should -Not -Match 'sk-live'
            (Get-ScoutAuditEvent -Last 1).Config.api_key | Should -Be '[REDACTED]'
        }
    }

    Context 'CSV in and out' {
        BeforeEach {
            $log = New-TestLogPath $TestDrive
            $csv = Join-Path $TestDrive "usage-$([guid]::NewGuid().ToString('N')).csv"
        }

        AfterEach {
            Close-ScoutAuditLog -Path $log
        }

        It 'imports usage rows from Import-Csv, converting numbers and treating empty cells as not given' {
            Set-Content -LiteralPath $csv -Value @(
                'Event,Cost,Model,InputTokens,OutputTokens,Reason'
                'nav,0.01,gpt-4o-mini,5,,'
                'deep,0.02,llama-3.1-8b,,7,long answer'
            )

            Import-Csv -LiteralPath $csv | Write-ScoutAuditEvent -Path $log

            $events = Get-ScoutAuditEvent -Path $log
            $events | Should -HaveCount 2
            $events[0].Cost | Should -Be 0.01
            $events[0].InputTokens | Should -Be 5
            $events[0].OutputTokens | Should -BeNullOrEmpty
            $events[0].Reason | Should -BeNullOrEmpty
            $events[1].OutputTokens | Should -Be 7
            Get-Content -LiteralPath $log -TotalCount 1 | Should -Match '"input_t": 5\}$'
        }

        It 'imports the original field names as CSV columns' {
            Set-Content -LiteralPath $csv -Value @(
                'event,cost,model,input_t,output_t,session_id,duration_ms'
                'nav,0.5,m,10,20,batch-7,125.5'
            )

            Import-Csv -LiteralPath $csv | Write-ScoutAuditEvent -Path $log

            $event = Get-ScoutAuditEvent -Path $log
            $event.InputTokens | Should -Be 10
            $event.OutputTokens | Should -Be 20
            $event.SessionId | Should -Be 'batch-7'
            $event.DurationMs | Should -Be 125.5
        }

        It 'exports events with Export-Csv: the standard columns carry their values' {
            Write-ScoutAuditEvent nav -Cost 0.25 -Model gpt-4o-mini -InputTokens 12 -OutputTokens 3 -Reason 'first, with a comma' -SessionId s1 -Path $log
            Write-ScoutAuditEvent validation_fail -Model llama-3.1-8b -Reason 'schema' -SessionId s1 -Path $log

            Get-ScoutAuditEvent -Path $log | Export-Csv -LiteralPath $csv -NoTypeInformation
            $rows = Import-Csv -LiteralPath $csv

            $rows | Should -HaveCount 2
            foreach ($column in 'Timestamp', 'Event', 'SessionId', 'Cost', 'Model', 'InputTokens', 'OutputTokens', 'Reason') {
                $rows[0].PSObject.Properties.Name | Should -Contain $column
            }
            $rows.Event | Should -Be @('nav', 'validation_fail')
            $rows.Model | Should -Be @('gpt-4o-mini', 'llama-3.1-8b')
            [double]::Parse($rows[0].Cost, [cultureinfo]::InvariantCulture) | Should -Be 0.25
            $rows[0].InputTokens | Should -Be '12'
            $rows[0].Reason | Should -Be 'first, with a comma'
            $rows[1].Cost | Should -BeNullOrEmpty
            $rows.SessionId | Should -Be @('s1', 's1')
        }
    }
}
