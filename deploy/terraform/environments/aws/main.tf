# The queue and the table in a real AWS account. The application runs there with
# ENVIRONMENT=production, which stops it from creating them itself (AWS_AUTO_PROVISION).
#   terraform init && terraform plan -var region=eu-west-1
# State: configure a backend (S3 + a lock table) before a team shares it.
terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "environment" {
  type    = string
  default = "production"
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Application = "sre-playground"
      Environment = var.environment
    }
  }
}

module "event_queue" {
  source = "../../modules/event-queue"
  name   = "student-events"
}

module "audit_table" {
  source = "../../modules/audit-table"
  name   = "sre-playground-audit"
}

output "queue_url" {
  value = module.event_queue.queue_url
}

output "table_arn" {
  value = module.audit_table.table_arn
}
