CREATE TABLE "AccessTokens" (
    "Id" uuid NOT NULL,
    "AccountId" uuid NOT NULL,
    "TokenHash" text NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_AccessTokens" PRIMARY KEY ("Id")
);


CREATE TABLE "Accounts" (
    "Id" uuid NOT NULL,
    "Email" character varying(254) NOT NULL,
    "PasswordHash" text NOT NULL,
    "IsOperator" boolean NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "SpendingCap" numeric(18,2),
    "UnpaidBalance" numeric(18,2) NOT NULL,
    "SecurityStamp" character varying(64) NOT NULL,
    "FailedSignIns" integer NOT NULL,
    "LockedUntil" timestamp with time zone,
    "InstanceLimit" integer,
    "TotpSecretProtected" text,
    "TotpPendingSecretProtected" text,
    "TotpLastTimeStep" bigint,
    CONSTRAINT "PK_Accounts" PRIMARY KEY ("Id")
);


CREATE TABLE "Bills" (
    "Id" uuid NOT NULL,
    "AccountId" uuid NOT NULL,
    "Month" character varying(7) NOT NULL,
    "StorageCharge" numeric(18,2) NOT NULL,
    "CarriedIn" numeric(18,2) NOT NULL,
    "Amount" numeric(18,2) NOT NULL,
    "Charged" boolean NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_Bills" PRIMARY KEY ("Id")
);


CREATE TABLE "ChargeLines" (
    "OrderId" uuid NOT NULL,
    "Position" integer NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "Description" text NOT NULL,
    "Quantity" numeric(18,6) NOT NULL,
    "Unit" text NOT NULL,
    "Amount" numeric(18,2) NOT NULL,
    CONSTRAINT "PK_ChargeLines" PRIMARY KEY ("OrderId", "Position")
);


CREATE TABLE "CloudInstances" (
    "Id" uuid NOT NULL,
    "AccountId" uuid NOT NULL,
    "Name" character varying(100) NOT NULL,
    "TaskId" uuid NOT NULL,
    "TaskInstanceId" uuid NOT NULL,
    "SnapshotId" character varying(64) NOT NULL,
    "SnapshotTime" timestamp with time zone NOT NULL,
    "SizeBytes" bigint NOT NULL,
    "SizeFromTask" boolean NOT NULL,
    "Provider" character varying(100) NOT NULL,
    "Region" character varying(100) NOT NULL,
    "Hardware" character varying(100) NOT NULL,
    "Currency" character varying(3) NOT NULL,
    "Total" numeric(18,2) NOT NULL,
    "PeriodAmount" numeric(18,2) NOT NULL,
    "State" character varying(20) NOT NULL,
    "Reason" character varying(1000),
    "Disk" text,
    "CreatedAt" timestamp with time zone NOT NULL,
    "PaidAt" timestamp with time zone,
    "PeriodEnd" timestamp with time zone,
    "RunningAt" timestamp with time zone,
    "ReturnedAt" timestamp with time zone,
    "ReleasedAt" timestamp with time zone,
    CONSTRAINT "PK_CloudInstances" PRIMARY KEY ("Id")
);


CREATE TABLE "Credentials" (
    "Id" uuid NOT NULL,
    "InstanceId" uuid NOT NULL,
    "Username" text NOT NULL,
    "SecretHash" text NOT NULL,
    "Access" integer NOT NULL,
    "TaskId" uuid,
    "CreatedAt" timestamp with time zone NOT NULL,
    "RevokedAt" timestamp with time zone,
    CONSTRAINT "PK_Credentials" PRIMARY KEY ("Id")
);


CREATE TABLE "Instances" (
    "Id" uuid NOT NULL,
    "AccountId" uuid NOT NULL,
    "Name" character varying(100) NOT NULL,
    "Region" text NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "DeletedAt" timestamp with time zone,
    "MeteredUntil" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_Instances" PRIMARY KEY ("Id")
);


CREATE TABLE "Ledger" (
    "Id" uuid NOT NULL,
    "AccountId" uuid NOT NULL,
    "At" timestamp with time zone NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "Amount" numeric(18,2) NOT NULL,
    "Description" character varying(300) NOT NULL,
    "OrderId" uuid,
    "BillId" uuid,
    "Reference" character varying(200),
    CONSTRAINT "PK_Ledger" PRIMARY KEY ("Id")
);


CREATE TABLE "Locks" (
    "TaskId" uuid NOT NULL,
    "LockName" character varying(64) NOT NULL,
    "CredentialUsername" text NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_Locks" PRIMARY KEY ("TaskId", "LockName")
);


CREATE TABLE "RecoveryCodes" (
    "Id" uuid NOT NULL,
    "AccountId" uuid NOT NULL,
    "CodeHash" character varying(64) NOT NULL,
    CONSTRAINT "PK_RecoveryCodes" PRIMARY KEY ("Id")
);


CREATE TABLE "SignUpCounters" (
    "Client" character varying(64) NOT NULL,
    "Day" character varying(10) NOT NULL,
    "Count" integer NOT NULL,
    CONSTRAINT "PK_SignUpCounters" PRIMARY KEY ("Client", "Day")
);


CREATE TABLE "Snapshots" (
    "TaskId" uuid NOT NULL,
    "SnapshotId" character varying(64) NOT NULL,
    "WrittenAt" timestamp with time zone NOT NULL,
    "FileCount" bigint,
    "TotalBytes" bigint,
    "UnreadableAt" timestamp with time zone,
    CONSTRAINT "PK_Snapshots" PRIMARY KEY ("TaskId", "SnapshotId")
);


CREATE TABLE "StorageMeters" (
    "TaskId" uuid NOT NULL,
    "Month" character varying(7) NOT NULL,
    "InstanceId" uuid NOT NULL,
    "OverGbHours" double precision NOT NULL,
    CONSTRAINT "PK_StorageMeters" PRIMARY KEY ("TaskId", "Month")
);


CREATE TABLE "Tasks" (
    "Id" uuid NOT NULL,
    "InstanceId" uuid NOT NULL,
    "Name" character varying(63) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "DeletedAt" timestamp with time zone,
    "StorageBytes" bigint NOT NULL,
    "MeteredBytes" bigint NOT NULL,
    "LatestSnapshotAt" timestamp with time zone,
    CONSTRAINT "PK_Tasks" PRIMARY KEY ("Id")
);


CREATE TABLE "UsageSamples" (
    "Id" bigint GENERATED BY DEFAULT AS IDENTITY,
    "TaskId" uuid NOT NULL,
    "At" timestamp with time zone NOT NULL,
    "Bytes" bigint NOT NULL,
    CONSTRAINT "PK_UsageSamples" PRIMARY KEY ("Id")
);


CREATE INDEX "IX_AccessTokens_AccountId" ON "AccessTokens" ("AccountId");


CREATE UNIQUE INDEX "IX_AccessTokens_TokenHash" ON "AccessTokens" ("TokenHash");


CREATE UNIQUE INDEX "IX_Accounts_Email" ON "Accounts" ("Email");


CREATE UNIQUE INDEX "IX_Bills_AccountId_Month" ON "Bills" ("AccountId", "Month");


CREATE INDEX "IX_CloudInstances_AccountId" ON "CloudInstances" ("AccountId");


CREATE UNIQUE INDEX "IX_CloudInstances_Name" ON "CloudInstances" ("Name") WHERE "ReleasedAt" IS NULL;


CREATE INDEX "IX_CloudInstances_State" ON "CloudInstances" ("State");


CREATE INDEX "IX_Credentials_InstanceId" ON "Credentials" ("InstanceId");


CREATE UNIQUE INDEX "IX_Credentials_Username" ON "Credentials" ("Username");


CREATE INDEX "IX_Instances_AccountId" ON "Instances" ("AccountId");


CREATE UNIQUE INDEX "IX_Instances_Name" ON "Instances" ("Name") WHERE "DeletedAt" IS NULL;


CREATE INDEX "IX_Ledger_AccountId_At" ON "Ledger" ("AccountId", "At");


CREATE UNIQUE INDEX "IX_Ledger_BillId" ON "Ledger" ("BillId") WHERE "BillId" IS NOT NULL;


CREATE UNIQUE INDEX "IX_Ledger_OrderId_Kind" ON "Ledger" ("OrderId", "Kind") WHERE "OrderId" IS NOT NULL;


CREATE UNIQUE INDEX "IX_RecoveryCodes_AccountId_CodeHash" ON "RecoveryCodes" ("AccountId", "CodeHash");


CREATE INDEX "IX_StorageMeters_InstanceId_Month" ON "StorageMeters" ("InstanceId", "Month");


CREATE UNIQUE INDEX "IX_Tasks_InstanceId_Name" ON "Tasks" ("InstanceId", "Name") WHERE "DeletedAt" IS NULL;


CREATE INDEX "IX_UsageSamples_TaskId_At" ON "UsageSamples" ("TaskId", "At");


