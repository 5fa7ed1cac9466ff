# The audit table: one item per student change, keyed (id, timestamp), with an index by
# student_id for a student's history. Point-in-time recovery, and TTL on expires_at.
resource "aws_dynamodb_table" "audit" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = var.hash_key
  range_key    = var.range_key

  attribute {
    name = var.hash_key
    type = "S"
  }

  attribute {
    name = var.range_key
    type = "S"
  }

  attribute {
    name = var.index_hash_key
    type = "S"
  }

  global_secondary_index {
    name            = var.index_name
    hash_key        = var.index_hash_key
    range_key       = var.range_key
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = true
  }

  # Items with an expires_at (seconds since the epoch) in the past are deleted by DynamoDB;
  # items without one are kept.
  ttl {
    attribute_name = var.ttl_attribute
    enabled        = true
  }

  tags = var.tags
}
