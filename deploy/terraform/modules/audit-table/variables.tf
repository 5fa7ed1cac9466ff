variable "name" {
  description = "Table name (the application's DYNAMODB_TABLE)"
  type        = string
  default     = "sre-playground-audit"
}

variable "hash_key" {
  type    = string
  default = "id"
}

variable "range_key" {
  type    = string
  default = "timestamp"
}

variable "index_name" {
  description = "The index the application queries a student's audit records by"
  type        = string
  default     = "student_id-index"
}

variable "index_hash_key" {
  type    = string
  default = "student_id"
}

variable "ttl_attribute" {
  type    = string
  default = "expires_at"
}

variable "tags" {
  type    = map(string)
  default = {}
}
